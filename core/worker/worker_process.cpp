#include "core/worker/worker_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "core/plugin/child_spawn_attributes.hpp"

extern char **environ;

namespace tune::core {

namespace {

// A pipe whose fds are close-on-exec and numbered above the worker's fixed fds, so that
// dup2 onto 3 and 4 in the child never collides with them.
void make_pipe(int fds[2]) {
    int raw[2];
    if (::pipe2(raw, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    for (int i = 0; i < 2; ++i) {
        fds[i] = ::fcntl(raw[i], F_DUPFD_CLOEXEC, 10);
        ::close(raw[i]);
        if (fds[i] < 0) throw std::runtime_error(std::string("fcntl: ") + std::strerror(errno));
    }
}

std::vector<std::string> merged_environment(const std::vector<std::string> &extra) {
    std::vector<std::string> result;
    auto name_of = [](const std::string &entry) { return entry.substr(0, entry.find('=')); };
    for (char **e = environ; *e; ++e) {
        std::string entry(*e);
        bool overridden = false;
        for (const auto &add : extra) overridden = overridden || name_of(add) == name_of(entry);
        if (!overridden) result.push_back(entry);
    }
    result.insert(result.end(), extra.begin(), extra.end());
    return result;
}

} // namespace

std::unique_ptr<WorkerProcess> WorkerProcess::spawn(const WorkerLaunch &launch) {
    int request[2], reply[2];
    make_pipe(request);
    make_pipe(reply);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, launch.log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawn_file_actions_adddup2(&actions, request[0], kWorkerRequestFd);
    posix_spawn_file_actions_adddup2(&actions, reply[1], kWorkerReplyFd);

    const ChildSpawnAttributes attributes; // default signals, a process group of its own

    auto environment = merged_environment(launch.environment);
    std::vector<char *> c_env;
    for (auto &entry : environment) c_env.push_back(entry.data());
    c_env.push_back(nullptr);
    std::string program = launch.executable.string();
    char *argv[] = {program.data(), nullptr};

    pid_t pid = -1;
    int rc = posix_spawn(&pid, program.c_str(), &actions, attributes.get(), argv, c_env.data());
    posix_spawn_file_actions_destroy(&actions);
    ::close(request[0]);
    ::close(reply[1]);
    if (rc != 0) {
        ::close(request[1]);
        ::close(reply[0]);
        throw std::runtime_error("cannot start worker " + program + ": " + std::strerror(rc));
    }

    std::unique_ptr<WorkerProcess> worker(new WorkerProcess());
    worker->pid_ = pid;
    worker->request_fd_ = request[1];
    worker->reply_fd_ = reply[0];
    worker->log_file_ = launch.log_file;
    ::fcntl(worker->reply_fd_, F_SETFL, ::fcntl(worker->reply_fd_, F_GETFL) | O_NONBLOCK);
    return worker;
}

WorkerProcess::~WorkerProcess() {
    if (request_fd_ >= 0) ::close(request_fd_);
    if (reply_fd_ >= 0) ::close(reply_fd_);
    if (!reaped_ && pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
}

bool WorkerProcess::send(const Message &message) {
    queue(message);
    return flush();
}

bool WorkerProcess::flush() {
    if (outbox_.empty()) return true;
    const bool sent = write_all(request_fd_, outbox_);
    outbox_.clear();
    return sent;
}

std::vector<Message> WorkerProcess::read_available() {
    std::vector<Message> messages;
    char buffer[65536];
    while (!closed_) {
        ssize_t n = ::read(reply_fd_, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        if (n <= 0) {
            closed_ = true;
            break;
        }
        for (auto &message : decoder_.feed(std::string_view(buffer, static_cast<std::size_t>(n))))
            messages.push_back(std::move(message));
        // A short read drained the pipe: skip the read that would only say EAGAIN (the
        // caller polls again anyway). This halves the read calls on the result path.
        if (static_cast<std::size_t>(n) < sizeof buffer) break;
    }
    return messages;
}

std::optional<Message> WorkerProcess::next_reply(double timeout_s) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
    while (unread_.empty() && !closed_) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() < 0) break;
        pollfd fd{reply_fd_, POLLIN, 0};
        ::poll(&fd, 1, static_cast<int>(left.count()) + 1);
        for (auto &message : read_available()) unread_.push_back(std::move(message));
    }
    if (unread_.empty()) return std::nullopt;
    Message message = std::move(unread_.front());
    unread_.pop_front();
    return message;
}

std::string WorkerProcess::wait_and_describe() {
    if (!reaped_) {
        while (::waitpid(pid_, &wait_status_, 0) < 0 && errno == EINTR) {
        }
        reaped_ = true;
    }
    if (WIFSIGNALED(wait_status_)) {
        int sig = WTERMSIG(wait_status_);
        return "killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
    }
    if (WIFEXITED(wait_status_)) return "exited with status " + std::to_string(WEXITSTATUS(wait_status_));
    return "ended";
}

void WorkerProcess::shutdown(double grace_s) {
    if (reaped_) return;
    send({MessageType::Shutdown, {}});
    ::close(request_fd_);
    request_fd_ = -1;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(grace_s);
    while (std::chrono::steady_clock::now() < deadline) {
        pid_t done = ::waitpid(pid_, &wait_status_, WNOHANG);
        if (done == pid_) {
            reaped_ = true;
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    kill();
}

void WorkerProcess::kill() {
    if (reaped_) return;
    ::kill(pid_, SIGKILL);
    while (::waitpid(pid_, &wait_status_, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
}

std::string WorkerProcess::log_tail(std::size_t max_lines) const {
    std::ifstream in(log_file_);
    std::deque<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        lines.push_back(line);
        if (lines.size() > max_lines) lines.pop_front();
    }
    std::string tail;
    for (const auto &line : lines) tail += line + "\n";
    return tail;
}

} // namespace tune::core
