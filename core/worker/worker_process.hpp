// The host's handle on one tune-worker process: spawn it, send requests, read replies.
#pragma once

#include <sys/types.h>

#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/worker/message.hpp"

namespace tune::core {

struct WorkerLaunch {
    std::filesystem::path executable;             // tune-worker
    std::filesystem::path log_file;               // receives the worker's stdout and stderr
    std::vector<std::string> environment;         // "NAME=value" added to the host's environment
};

// Owns the child process and both pipes. Requests are written blocking (they are small and
// the worker always reads); replies are read non-blocking so one thread can poll(2) many
// workers. Not thread-safe. The destructor kills a worker that is still running.
class WorkerProcess {
public:
    // Starts the worker. Throws std::runtime_error if it cannot be started.
    static std::unique_ptr<WorkerProcess> spawn(const WorkerLaunch &launch);
    ~WorkerProcess();
    WorkerProcess(const WorkerProcess &) = delete;
    WorkerProcess &operator=(const WorkerProcess &) = delete;

    pid_t pid() const { return pid_; }
    int reply_fd() const { return reply_fd_; } // poll it for POLLIN
    const std::filesystem::path &log_file() const { return log_file_; }

    // Sends one request. Returns false if the worker is gone (broken pipe).
    bool send(const Message &message);
    // Queues a request to go with the next flush (or send): requests made together leave in
    // one write, and wake the worker once.
    void queue(const Message &message) { encode_frame(message, outbox_); }
    // Sends the queued requests. Returns false if the worker is gone (broken pipe).
    bool flush();

    // Reads whatever is available without blocking and returns the complete replies. After
    // the worker closes its end, closed() is true. Throws std::runtime_error on a corrupt frame.
    std::vector<Message> read_available();
    bool closed() const { return closed_; }

    // Blocks up to timeout_s for the next reply, for callers that talk to one worker at a
    // time (benchmarks, tests). nullopt on timeout, or once the worker closed its end with
    // no reply left (closed() tells which). Do not mix with read_available on one worker.
    std::optional<Message> next_reply(double timeout_s);

    // Waits for the process to end (after closed(), or after kill()) and describes how it
    // ended: "exited with status 1", "killed by signal 11 (Segmentation fault)".
    std::string wait_and_describe();

    // Asks the worker to exit; kills it if it has not after grace_s seconds.
    void shutdown(double grace_s = 2.0);
    void kill();

    // The last max_lines lines of the worker's log (its stderr and stdout).
    std::string log_tail(std::size_t max_lines = 20) const;

private:
    WorkerProcess() = default;

    pid_t pid_ = -1;
    int request_fd_ = -1;
    int reply_fd_ = -1;
    bool closed_ = false;
    bool reaped_ = false;
    int wait_status_ = 0;
    std::filesystem::path log_file_;
    FrameDecoder decoder_;
    std::string outbox_;         // queued request frames
    std::deque<Message> unread_; // replies next_reply read but has not returned yet
};

} // namespace tune::core
