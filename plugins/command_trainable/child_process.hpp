// A training program run by the command trainable: started in a process group of its own,
// its stdout read line by line through a pipe, its stderr appended to a log file, and ended
// with SIGTERM then SIGKILL to the whole group.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace tune::command {

struct ChildLaunch {
    std::vector<std::string> argv;    // argv[0] is looked up on PATH when it has no '/'
    std::string working_dir;          // "" for the worker's own
    std::vector<std::string> env;     // the whole environment, NAME=value
    std::string stderr_file;          // appended to; also where stdout's other lines go
};

// Not thread-safe; one thread (the trainable's) uses it.
class ChildProcess {
public:
    // Starts the program. Throws std::runtime_error naming the program and why it could not
    // start (not found, not executable, working_dir missing).
    explicit ChildProcess(const ChildLaunch &launch);
    ~ChildProcess(); // ends the group at once (SIGKILL) if it still runs
    ChildProcess(const ChildProcess &) = delete;
    ChildProcess &operator=(const ChildProcess &) = delete;

    pid_t pid() const { return pid_; }

    // The next line of stdout without its newline, or nothing at end of file (the program
    // closed stdout or exited). Blocks until one is there. Throws on a read error.
    std::optional<std::string> read_line();

    // Waits for the program to exit and returns its status as waitpid gives it. What is left
    // of its process group is then killed.
    int wait();
    // Ends the whole process group: SIGTERM, then SIGKILL once grace has passed. Reaps the
    // program. Safe to call again, and after the program exited by itself.
    void terminate(std::chrono::duration<double> grace);

    // "exited with status 3", "killed by signal 9 (Killed)".
    static std::string describe_status(int status);

private:
    void kill_group(int signal) const; // while the program runs
    void end_leftovers() const;        // once it has been reaped

    pid_t pid_ = -1;
    int stdout_fd_ = -1;
    std::string buffer_;     // read; lines before start_ were returned
    std::size_t start_ = 0;
    bool eof_ = false;
    std::optional<int> status_; // once reaped
};

} // namespace tune::command
