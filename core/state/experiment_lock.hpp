// One host per experiment folder: a `tune run` or `tune resume` holds an flock(2) on
// <dir>/tune.lock while it runs. The kernel drops it when the process ends in any way
// (SIGKILL, power loss), so a stale lock never blocks a resume.
#pragma once

#include <filesystem>
#include <stdexcept>

namespace tune::core {

class ExperimentLockedError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class ExperimentLock {
public:
    // Takes the lock, creating the file if needed (dir must exist). Throws
    // ExperimentLockedError naming the process that holds it, or std::runtime_error if the
    // file cannot be created.
    explicit ExperimentLock(const std::filesystem::path &dir);
    ~ExperimentLock();
    ExperimentLock(const ExperimentLock &) = delete;
    ExperimentLock &operator=(const ExperimentLock &) = delete;

    // Throws ExperimentLockedError if another process holds dir's lock; takes nothing.
    static void check_free(const std::filesystem::path &dir);

private:
    int fd_ = -1;
};

} // namespace tune::core
