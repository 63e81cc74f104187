#include "core/conformance/isolated_run.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace tune::conformance {

namespace {

void write_all(int fd, const std::string &text) {
    const char *data = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        ssize_t n = ::write(fd, data, left);
        if (n < 0) {
            if (errno == EINTR) continue;
            return;
        }
        data += n;
        left -= static_cast<std::size_t>(n);
    }
}

// The last max_lines lines of a file, for a failure's context.
std::string tail_of(const std::filesystem::path &file, std::size_t max_lines = 20) {
    std::ifstream in(file);
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        lines.push_back(std::move(line));
        if (lines.size() > max_lines) lines.erase(lines.begin());
    }
    std::string out;
    for (const auto &line : lines) out += line + "\n";
    return out;
}

[[noreturn]] void run_child(const std::function<nlohmann::json()> &body, int report_fd,
                            const std::filesystem::path &log_file) {
    // A crash must end the child with its signal, whatever handlers the parent installed
    // (a test framework's, say), so that the parent sees and names it.
    for (int sig : {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS, SIGINT, SIGTERM})
        std::signal(sig, SIG_DFL);
    int log_fd = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd >= 0) {
        std::fflush(stdout);
        std::fflush(stderr);
        ::dup2(log_fd, STDOUT_FILENO);
        ::dup2(log_fd, STDERR_FILENO);
        ::close(log_fd);
    }
    nlohmann::json report;
    try {
        report = body();
    } catch (const std::exception &e) {
        report = {{"passed", false}, {"message", std::string("the checker failed: ") + e.what()}};
    } catch (...) {
        report = {{"passed", false}, {"message", "the checker failed with an unknown exception"}};
    }
    write_all(report_fd, report.dump());
    std::fflush(stdout);
    std::fflush(stderr);
    ::_exit(0); // no destructors, no atexit: the parent owns everything else
}

} // namespace

IsolatedOutcome run_isolated(const std::function<nlohmann::json()> &body, double timeout_s,
                             const std::filesystem::path &log_file) {
    IsolatedOutcome outcome;
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        outcome.failure = fmt::format("cannot create a pipe: {}", std::strerror(errno));
        return outcome;
    }
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        outcome.failure = fmt::format("cannot fork: {}", std::strerror(errno));
        return outcome;
    }
    if (pid == 0) {
        ::close(fds[0]);
        run_child(body, fds[1], log_file);
    }
    ::close(fds[1]);

    using clock = std::chrono::steady_clock;
    const auto deadline = clock::now() + std::chrono::duration<double>(timeout_s);
    std::string report_text;
    bool timed_out = false;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        pollfd p{fds[0], POLLIN, 0};
        int ready = ::poll(&p, 1, static_cast<int>(std::min<long long>(left, 1000)));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) continue;
        char buffer[4096];
        ssize_t n = ::read(fds[0], buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break; // EOF: the child exited (or closed the pipe)
        report_text.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(fds[0]);
    if (timed_out) ::kill(pid, SIGKILL);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    outcome.output = tail_of(log_file);

    if (timed_out) {
        outcome.failure = fmt::format("timed out after {} s (killed); raise it with --timeout", timeout_s);
    } else if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        outcome.failure = fmt::format("crashed with signal {} (SIG{}){}", sig, sigabbrev_np(sig) ? sigabbrev_np(sig) : "?",
                                      sigdescr_np(sig) ? fmt::format(": {}", sigdescr_np(sig)) : "");
    } else if (report_text.empty()) {
        outcome.failure = fmt::format("the process exited with status {} before the check finished "
                                      "(a plugin called exit?)",
                                      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    } else {
        try {
            outcome.report = nlohmann::json::parse(report_text);
            outcome.completed = true;
        } catch (const nlohmann::json::exception &) {
            outcome.failure = "the check's report was cut short (the process died while writing it)";
        }
    }
    return outcome;
}

} // namespace tune::conformance
