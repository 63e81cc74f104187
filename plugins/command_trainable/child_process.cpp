#include "child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>
#include <utility>

namespace tune::command {

namespace {

std::vector<char *> c_strings(const std::vector<std::string> &strings) {
    std::vector<char *> pointers;
    for (const auto &s : strings) pointers.push_back(const_cast<char *>(s.c_str()));
    pointers.push_back(nullptr);
    return pointers;
}

// The child's side of fork: only async-signal-safe calls until exec. On failure it writes
// errno and the step that failed to report_fd, which exec would have closed.
[[noreturn]] void become_program(const ChildLaunch &launch, const char *program, char *const *argv,
                                 char *const *envp, int stdin_fd, int stdout_fd, int stderr_fd, int report_fd,
                                 pid_t parent) {
    const auto fail = [&](int step) {
        const int report[2] = {step, errno};
        [[maybe_unused]] ssize_t written = ::write(report_fd, report, sizeof report);
        ::_exit(127);
    };
    // Its own process group, so that a stop reaches whatever it starts; and it dies with the
    // worker, should the worker be killed before it could end the program.
    if (::setpgid(0, 0) != 0) fail(0);
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(1);
    if (::getppid() != parent) ::_exit(127);
    if (::dup2(stdin_fd, 0) < 0 || ::dup2(stdout_fd, 1) < 0 || ::dup2(stderr_fd, 2) < 0) fail(2);
    if (!launch.working_dir.empty() && ::chdir(launch.working_dir.c_str()) != 0) fail(3);
    // The worker ignores SIGINT and SIGPIPE; the program starts with the default handlers.
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGPIPE, SIG_DFL);
    ::execve(program, argv, envp);
    fail(4);
    ::_exit(127); // fail does not return either
}

// argv[0] as exec will find it: a name without '/' is looked up on the PATH of the program's own
// environment (the command's env may change it), as a shell would; a path is left as it is,
// and a relative one starts in working_dir.
std::string resolve_program(const ChildLaunch &launch) {
    const std::string &name = launch.argv[0];
    if (name.find('/') != std::string::npos) return name;
    std::string path = "/usr/local/bin:/usr/bin:/bin";
    for (const auto &entry : launch.env)
        if (entry.rfind("PATH=", 0) == 0) path = entry.substr(5);
    std::size_t start = 0;
    for (;;) {
        const std::size_t colon = path.find(':', start);
        std::string dir = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        if (dir.empty()) dir = ".";
        const std::string candidate = dir + "/" + name;
        struct stat info {};
        if (::stat(candidate.c_str(), &info) == 0 && S_ISREG(info.st_mode) && ::access(candidate.c_str(), X_OK) == 0)
            return candidate;
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    throw std::runtime_error("cannot start the program '" + name + "': it is on no folder of PATH (" + path + ")");
}

std::string spawn_failure(const ChildLaunch &launch, int step, int error) {
    static const char *const what[] = {"cannot make its process group", "cannot set its parent-death signal",
                                       "cannot redirect its output", "cannot enter the working_dir",
                                       "cannot execute it"};
    std::string message = "cannot start the program '" + launch.argv[0] + "': " + what[step];
    if (step == 3) message += " '" + launch.working_dir + "'";
    return message + " (" + std::strerror(error) + ")";
}

} // namespace

ChildProcess::ChildProcess(const ChildLaunch &launch) {
    if (launch.argv.empty()) throw std::runtime_error("the command is empty");
    const std::string program = resolve_program(launch);
    const int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    const int log_fd = ::open(launch.stderr_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    int out[2] = {-1, -1}, report[2] = {-1, -1};
    const bool opened = null_fd >= 0 && log_fd >= 0 && ::pipe2(out, O_CLOEXEC) == 0 && ::pipe2(report, O_CLOEXEC) == 0;
    const int open_error = errno;
    const auto close_all = [&] {
        for (int fd : {null_fd, log_fd, out[0], out[1], report[0], report[1]})
            if (fd >= 0) ::close(fd);
    };
    if (!opened) {
        close_all();
        throw std::runtime_error("cannot start the program '" + launch.argv[0] + "': cannot open " +
                                 (log_fd < 0 ? launch.stderr_file : std::string("its pipes")) + " (" +
                                 std::strerror(open_error) + ")");
    }
    std::vector<char *> argv = c_strings(launch.argv);
    std::vector<char *> envp = c_strings(launch.env);
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0)
        become_program(launch, program.c_str(), argv.data(), envp.data(), null_fd, out[1], log_fd, report[1], parent);
    if (pid < 0) {
        const int fork_error = errno;
        close_all();
        throw std::runtime_error("cannot start the program '" + launch.argv[0] + "': fork failed (" +
                                 std::strerror(fork_error) + ")");
    }
    pid_ = pid;
    // Also from here, so that a stop right after the start already finds the group.
    ::setpgid(pid, pid);
    ::close(report[1]);
    report[1] = -1;
    int failure[2] = {0, 0};
    ssize_t got;
    do {
        got = ::read(report[0], failure, sizeof failure);
    } while (got < 0 && errno == EINTR);
    stdout_fd_ = out[0];
    out[0] = -1;
    close_all();
    if (got == static_cast<ssize_t>(sizeof failure)) {
        wait();
        ::close(stdout_fd_); // no destructor runs for a constructor that throws
        throw std::runtime_error(spawn_failure(launch, failure[0], failure[1]));
    }
}

ChildProcess::~ChildProcess() {
    if (!status_ && pid_ > 0) {
        kill_group(SIGKILL);
        wait();
    }
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
}

std::optional<std::string> ChildProcess::read_line() {
    for (;;) {
        const auto newline = buffer_.find('\n', start_);
        if (newline != std::string::npos) {
            std::string line = buffer_.substr(start_, newline - start_);
            start_ = newline + 1;
            return line;
        }
        // Lines are handed out from start_ on; what they used goes before more is read, once
        // per read rather than once per line.
        buffer_.erase(0, start_);
        start_ = 0;
        if (eof_) {
            if (buffer_.empty()) return std::nullopt;
            return std::exchange(buffer_, {}); // a last line without its newline
        }
        char chunk[65536];
        const ssize_t n = ::read(stdout_fd_, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::runtime_error(std::string("cannot read the program's output: ") + std::strerror(errno));
        if (n == 0)
            eof_ = true;
        else
            buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

int ChildProcess::wait() {
    if (status_) return *status_;
    int status = 0;
    pid_t got;
    do {
        got = ::waitpid(pid_, &status, 0);
    } while (got < 0 && errno == EINTR);
    status_ = got == pid_ ? status : 0;
    end_leftovers();
    return *status_;
}

void ChildProcess::end_leftovers() const {
    // Processes the program started and left running would keep training, or hold the GPU.
    // Now, while the group still has members or has just lost its leader, its id is its own.
    ::kill(-pid_, SIGKILL);
}

void ChildProcess::kill_group(int signal) const {
    if (::kill(-pid_, signal) != 0) ::kill(pid_, signal); // before the program's setpgid took
}

void ChildProcess::terminate(std::chrono::duration<double> grace) {
    if (pid_ <= 0) return;
    if (!status_) {
        kill_group(SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + grace;
        // Most programs are gone within a millisecond of SIGTERM: look again soon, then less often.
        auto pause = std::chrono::microseconds(50);
        int status = 0;
        for (;;) {
            const pid_t got = ::waitpid(pid_, &status, WNOHANG);
            if (got == pid_ || (got < 0 && errno != EINTR)) {
                status_ = got == pid_ ? status : 0;
                end_leftovers();
                break;
            }
            if (std::chrono::steady_clock::now() >= deadline) {
                kill_group(SIGKILL);
                wait();
                break;
            }
            std::this_thread::sleep_for(pause);
            pause = std::min(pause * 2, std::chrono::microseconds(10000));
        }
    }
}

std::string ChildProcess::describe_status(int status) {
    if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status)) {
        const int sig = WTERMSIG(status);
        return "was killed by signal " + std::to_string(sig) + " (" + ::strsignal(sig) + ")";
    }
    return "ended with wait status " + std::to_string(status);
}

} // namespace tune::command
