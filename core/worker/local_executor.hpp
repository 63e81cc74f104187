// The trial executor for this machine: one tune-worker process per running trial, started
// with fork/exec (posix_spawn), spoken to over pipes with the worker protocol, and reused for
// the next trial of the same resources (loading a trainable such as LibTorch costs far more
// than a trial start should). Workers die with the host (PR_SET_PDEATHSIG, in the worker).
#pragma once

#include <poll.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/execution/execution_backend.hpp"
#include "core/execution/trial_executor.hpp"
#include "core/worker/message.hpp"
#include "core/worker/worker_process.hpp"

namespace tune::core {

using LocalExecutorOptions = WorkerSetup;

class LocalExecutor final : public TrialExecutor {
public:
    explicit LocalExecutor(LocalExecutorOptions options);
    ~LocalExecutor() override; // kills the workers still running
    LocalExecutor(const LocalExecutor &) = delete;
    LocalExecutor &operator=(const LocalExecutor &) = delete;

    void start(const TrialLaunch &launch) override;
    void step(const std::string &trial_id) override;
    void save(const std::string &trial_id, const std::string &checkpoint_dir) override;
    void evaluate(const std::string &trial_id, const std::string &checkpoint_dir) override;
    void release(const std::string &trial_id) override;
    void set_threads(const std::string &trial_id, unsigned threads) override;
    void poll(double timeout_s, std::vector<TrialEvent> &events) override;
    void abort() override;
    void shutdown() override;

    std::size_t worker_count() const { return workers_.size(); }

private:
    using Clock = std::chrono::steady_clock;

    struct Worker {
        std::unique_ptr<WorkerProcess> process;
        std::string resource_key; // the CUDA_VISIBLE_DEVICES and thread count it started with
        std::string trial_id;     // "" while idle
        std::deque<MessageType> awaiting; // the requests whose replies are owed, oldest first
        Clock::time_point waiting_since;  // when the oldest owed reply was asked for
    };

    Worker &acquire(const Allocation &allocation);
    Worker *worker_of(const std::string &trial_id);
    // Queues request for the worker's trial; poll sends it.
    void send(Worker &worker, const Message &request);
    // Sends every queued request; a worker found gone is reported as Lost.
    void flush_requests(std::vector<TrialEvent> &events);
    void read_replies(Worker &worker, std::vector<TrialEvent> &events);
    void answer(Worker &worker, MessageType request, Message reply, std::vector<TrialEvent> &events);
    void check_timeouts(std::vector<TrialEvent> &events);
    // The worker is gone (or must go): report its trial as Lost with how it ended, and drop it.
    void lose(Worker &worker, TrialRequest request, const std::string &what, std::vector<TrialEvent> &events);
    void detach(Worker &worker);
    void remove_dead_workers();
    std::string next_log_name();

    LocalExecutorOptions options_;
    std::vector<std::unique_ptr<Worker>> workers_;
    std::unordered_map<std::string, Worker *> by_trial_;
    std::vector<pollfd> poll_fds_;     // reused by every poll
    std::vector<Worker *> polled_;     // the worker of each poll_fds_ entry
    std::size_t next_log_index_ = 0;
};

} // namespace tune::core
