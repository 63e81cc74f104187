#include "core/state/experiment_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>

namespace tune::core {

namespace fs = std::filesystem;

namespace {

constexpr const char *kLockFile = "tune.lock";

[[noreturn]] void throw_locked(const fs::path &dir) {
    std::string holder;
    std::ifstream(dir / kLockFile) >> holder;
    throw ExperimentLockedError(dir.string() + " is in use by another tune process" +
                                (holder.empty() ? std::string() : " (pid " + holder + ")") +
                                "; wait for it to end, or stop it first");
}

} // namespace

ExperimentLock::ExperimentLock(const fs::path &dir) {
    const fs::path file = dir / kLockFile;
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error("cannot create " + file.string() + ": " + std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd_);
        fd_ = -1;
        throw_locked(dir);
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, pid.data(), pid.size(), 0);
}

ExperimentLock::~ExperimentLock() {
    if (fd_ >= 0) ::close(fd_); // releases the lock
}

void ExperimentLock::check_free(const fs::path &dir) {
    int fd = ::open((dir / kLockFile).c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return; // no lock file: nobody runs there
    const bool free = ::flock(fd, LOCK_EX | LOCK_NB) == 0;
    ::close(fd);
    if (!free) throw_locked(dir);
}

} // namespace tune::core
