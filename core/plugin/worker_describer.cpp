#include "core/plugin/worker_describer.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/plugin/child_spawn_attributes.hpp"

extern char **environ;

namespace tune::core {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kMaxDescriptionBytes = 4 << 20; // far above any real library's descriptors
constexpr std::size_t kStderrTailBytes = 2000;

struct ChildOutput {
    std::string out;
    std::string err; // the last kStderrTailBytes
    bool timed_out = false;
    int wait_status = 0;
};

void close_fd(int &fd) {
    if (fd >= 0) ::close(fd);
    fd = -1;
}

// Reads whatever fd has; false once it reached end of file.
bool drain(int fd, std::string &into, std::size_t limit, bool keep_tail) {
    char buffer[65536];
    for (;;) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK;
        if (n == 0) return false;
        into.append(buffer, static_cast<std::size_t>(n));
        if (into.size() > limit) {
            if (keep_tail) into.erase(0, into.size() - limit);
            else into.resize(limit + 1); // too much: the caller refuses it
        }
    }
}

// Runs `worker --describe file` with stdout and stderr on pipes, up to timeout_s.
ChildOutput run_child(const fs::path &worker, const fs::path &file, double timeout_s) {
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
    if (::pipe2(err, O_CLOEXEC) != 0) {
        ::close(out[0]);
        ::close(out[1]);
        throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    // Its own process group, so a timeout ends whatever the library started as well.
    const ChildSpawnAttributes attributes;
    std::string program = worker.string(), mode = "--describe", library = file.string();
    char *argv[] = {program.data(), mode.data(), library.data(), nullptr};
    pid_t pid = -1;
    const int rc = ::posix_spawn(&pid, program.c_str(), &actions, attributes.get(), argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(out[1]);
    ::close(err[1]);
    if (rc != 0) {
        ::close(out[0]);
        ::close(err[0]);
        throw std::runtime_error(fmt::format("cannot start {}: {}", program, std::strerror(rc)));
    }

    ChildOutput result;
    int fds[2] = {out[0], err[0]};
    for (int fd : fds) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
    while (fds[0] >= 0 || fds[1] >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            result.timed_out = true;
            break;
        }
        pollfd polled[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}};
        const int ready = ::poll(polled, 2, static_cast<int>(left.count()) + 1);
        if (ready < 0 && errno != EINTR) break;
        if (ready <= 0) continue;
        if (fds[0] >= 0 && polled[0].revents && !drain(fds[0], result.out, kMaxDescriptionBytes, false))
            close_fd(fds[0]);
        if (fds[1] >= 0 && polled[1].revents && !drain(fds[1], result.err, kStderrTailBytes, true)) close_fd(fds[1]);
    }
    close_fd(fds[0]);
    close_fd(fds[1]);
    // Both pipes closed: the child is exiting, or closed them and went on (then the deadline
    // still holds).
    while (!result.timed_out) {
        const pid_t done = ::waitpid(pid, &result.wait_status, WNOHANG);
        if (done == pid || (done < 0 && errno != EINTR)) return result;
        if (std::chrono::steady_clock::now() >= deadline) result.timed_out = true;
        else ::usleep(1000);
    }
    ::kill(-pid, SIGKILL);
    while (::waitpid(pid, &result.wait_status, 0) < 0 && errno == EINTR) {
    }
    return result;
}

std::string signal_name(int signal) {
    const char *abbreviation = ::sigabbrev_np(signal);
    return abbreviation ? fmt::format("SIG{}", abbreviation) : fmt::format("signal {}", signal);
}

// " (its last output: ...)" from the child's stderr, or nothing.
std::string last_output(const std::string &err) {
    std::string text = err;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (text.empty()) return {};
    const auto line = text.rfind('\n');
    return fmt::format(" (its last output: {})", line == std::string::npos ? text : text.substr(line + 1));
}

} // namespace

WorkerDescriber::WorkerDescriber(fs::path worker, double timeout_s) : worker_(std::move(worker)), timeout_s_(timeout_s) {}

LibraryDescription WorkerDescriber::describe(const fs::path &file) {
    using Kind = LibraryDescription::ErrorKind;
    ChildOutput child;
    try {
        ++children_started_;
        child = run_child(worker_, file, timeout_s_);
    } catch (const std::exception &e) {
        return LibraryDescription::failure(file, fmt::format("{}: cannot describe it: {}", file.string(), e.what()),
                                           Kind::environment);
    }
    if (child.timed_out)
        return LibraryDescription::failure(
            file, fmt::format("{}: timed out after {:g} s while loading{}", file.string(), timeout_s_, last_output(child.err)),
            Kind::environment);
    if (WIFSIGNALED(child.wait_status))
        return LibraryDescription::failure(file,
                                           fmt::format("{}: crashed with {} while loading{}", file.string(),
                                                       signal_name(WTERMSIG(child.wait_status)), last_output(child.err)),
                                           Kind::file);
    const int status = WIFEXITED(child.wait_status) ? WEXITSTATUS(child.wait_status) : -1;
    if (status != 0)
        return LibraryDescription::failure(
            file, fmt::format("{}: exited with status {} while loading{}", file.string(), status, last_output(child.err)),
            Kind::environment);
    try {
        if (child.out.size() > kMaxDescriptionBytes) throw std::runtime_error("more than 4 MiB of output");
        LibraryDescription description = description_from_json(nlohmann::json::parse(child.out));
        if (description.file != file)
            throw std::runtime_error(fmt::format("it describes {} instead", description.file.string()));
        return description;
    } catch (const std::exception &e) {
        return LibraryDescription::failure(
            file, fmt::format("{}: loading it printed no valid description: {}", file.string(), e.what()), Kind::environment);
    }
}

int run_describe_mode(const fs::path &file) {
    // The description goes to the original stdout; the library's own prints (static
    // initialisers, init) go to stderr, so they can never corrupt it.
    const int out = ::fcntl(1, F_DUPFD_CLOEXEC, 3);
    if (out < 0 || ::dup2(2, 1) < 0) {
        std::fprintf(stderr, "tune-worker: cannot set up stdout: %s\n", std::strerror(errno));
        return 1;
    }
    // A descriptor string that is not UTF-8 (a Latin-1 description, say) is written with U+FFFD
    // in place of its bad bytes, rather than failing the dump: the library still lists.
    const std::string text =
        description_to_json(describe_in_process(file)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
        "\n";
    std::fflush(stdout);
    std::size_t written = 0;
    while (written < text.size()) {
        ssize_t n = ::write(out, text.data() + written, text.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return 1;
        written += static_cast<std::size_t>(n);
    }
    ::close(out);
    // Leave without running the library's destructors or deinit: the description is out, and
    // a library that crashes on unload must not turn it into a crash report.
    std::_Exit(0);
}

} // namespace tune::core
