#include "support/headless_browser.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>

namespace tune::test {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

double now_s() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

int remaining_ms(double deadline) {
    return static_cast<int>(std::clamp(std::ceil((deadline - now_s()) * 1000.0), 0.0, 1e9));
}

// Moves fd to a number >= 10 (close-on-exec), so that the child's dup2 onto 3 and 4 cannot
// clobber a pipe end that happens to sit on 3 or 4.
int high_fd(int fd) {
    int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
    ::close(fd);
    if (moved < 0) throw std::runtime_error(std::string("headless browser: fcntl: ") + std::strerror(errno));
    return moved;
}

std::vector<unsigned char> base64_decode(const std::string &text) {
    static const auto table = [] {
        const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        std::array<int, 256> t;
        t.fill(-1);
        for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = i;
        return t;
    }();
    std::vector<unsigned char> out;
    out.reserve(text.size() / 4 * 3);
    unsigned int bits = 0;
    int pending = 0; // how many low bits of `bits` are not yet output
    for (char c : text) {
        int value = table[static_cast<unsigned char>(c)];
        if (c == '=') break;
        if (value < 0) continue; // line breaks
        bits = ((bits << 6) | static_cast<unsigned int>(value)) & 0xffffu;
        pending += 6;
        if (pending >= 8) {
            pending -= 8;
            out.push_back(static_cast<unsigned char>(bits >> pending));
        }
    }
    return out;
}

// A remote object's printable form: the value of a primitive, else its description.
std::string remote_text(const json &object) {
    if (object.contains("value")) {
        const json &value = object["value"];
        return value.is_string() ? value.get<std::string>() : value.dump();
    }
    return object.value("description", object.value("type", std::string("?")));
}

// file:// URL of a path, percent-encoded so that spaces, '#' or '%' in it survive.
std::string file_url(const fs::path &path) {
    std::string url = "file://";
    for (unsigned char c : fs::absolute(path).lexically_normal().string()) {
        if (std::isalnum(c) || std::strchr("/-._~", c)) {
            url += static_cast<char>(c);
        } else {
            const char *hex = "0123456789ABCDEF";
            url += {'%', hex[c >> 4], hex[c & 15]};
        }
    }
    return url;
}

} // namespace

std::string HeadlessBrowser::default_executable() {
    const char *env = std::getenv("TUNE_CHROMIUM");
    return env && *env ? env : "/usr/bin/chromium";
}

bool HeadlessBrowser::available(const BrowserOptions &options) {
    std::string exe = options.executable.empty() ? default_executable() : options.executable;
    std::error_code ec;
    return fs::is_regular_file(exe, ec) && ::access(exe.c_str(), X_OK) == 0;
}

HeadlessBrowser::HeadlessBrowser(BrowserOptions options) : options_(std::move(options)) {
    if (options_.executable.empty()) options_.executable = default_executable();
    if (!available(options_))
        throw std::runtime_error("headless browser: " + options_.executable +
                                 " is missing or not executable (install chromium, or set TUNE_CHROMIUM)");
    std::string pattern = (fs::temp_directory_path() / "tune-chromium-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        throw std::runtime_error(std::string("headless browser: mkdtemp: ") + std::strerror(errno));
    temp_dir_ = pattern;
    try {
        fs::create_directory(temp_dir_ / "profile");
        // --no-sandbox: the sandbox refuses to start as root, which tests may run as.
        // --disable-dev-shm-usage: containers often give /dev/shm 64 MB, too little for a renderer.
        std::vector<std::string> args = {options_.executable, "--headless", "--no-sandbox", "--disable-gpu",
                                         "--disable-dev-shm-usage",
                                         "--remote-debugging-pipe",
                                         "--user-data-dir=" + (temp_dir_ / "profile").string(), "--no-first-run",
                                         "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
                                         "--mute-audio", "about:blank"};
        std::vector<char *> argv;
        for (auto &arg : args) argv.push_back(arg.data());
        argv.push_back(nullptr);

        int commands[2], replies[2];
        if (::pipe2(commands, O_CLOEXEC) != 0 || ::pipe2(replies, O_CLOEXEC) != 0)
            throw std::runtime_error(std::string("headless browser: pipe: ") + std::strerror(errno));
        for (int &fd : commands) fd = high_fd(fd);
        for (int &fd : replies) fd = high_fd(fd);
        to_browser_ = commands[1];
        from_browser_ = replies[0];
        std::string log_path = (temp_dir_ / "chromium.log").string();
        int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
        pid_t parent = ::getpid();
        pid_ = ::fork();
        if (pid_ == 0) {
            // Only async-signal-safe calls until exec. Own session, so that the whole browser
            // (zygote, renderers) can be killed as a group; and die with the test process.
            ::setsid();
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parent) ::_exit(127);
            if (log_fd >= 0) ::dup2(log_fd, 1), ::dup2(log_fd, 2);
            if (null_fd >= 0) ::dup2(null_fd, 0);
            ::dup2(commands[0], 3); // dup2 clears close-on-exec on the copy
            ::dup2(replies[1], 4);
            ::syscall(SYS_close_range, 5U, ~0U, 0U); // best effort: leak no test fds to chromium
            ::execv(argv[0], argv.data());
            const char message[] = "headless browser: exec failed\n";
            ssize_t ignored = ::write(2, message, sizeof message - 1);
            (void)ignored;
            ::_exit(127);
        }
        int fork_errno = errno;
        for (int fd : {commands[0], replies[1], log_fd, null_fd})
            if (fd >= 0) ::close(fd);
        if (pid_ < 0) throw std::runtime_error(std::string("headless browser: fork: ") + std::strerror(fork_errno));
        ::fcntl(to_browser_, F_SETFL, O_NONBLOCK);
        ::fcntl(from_browser_, F_SETFL, O_NONBLOCK);

        // The first reply also tells us that the browser is up.
        std::string target = call("Target.createTarget", {{"url", "about:blank"}}, false)["targetId"];
        session_id_ = call("Target.attachToTarget", {{"targetId", target}, {"flatten", true}}, false)["sessionId"];
        for (const char *domain : {"Runtime.enable", "Page.enable", "Log.enable", "Network.enable"})
            call(domain, json::object());
        call("Emulation.setDeviceMetricsOverride",
             {{"width", options_.width}, {"height", options_.height}, {"deviceScaleFactor", 1}, {"mobile", false}});
    } catch (...) {
        shutdown(); // the destructor will not run
        throw;
    }
}

HeadlessBrowser::~HeadlessBrowser() { shutdown(); }

void HeadlessBrowser::shutdown() noexcept {
    if (pid_ > 0) {
        try {
            send({{"id", next_id_++}, {"method", "Browser.close"}, {"params", json::object()}}, now_s() + 1);
        } catch (...) {
            // it may be gone already; the kill below still applies
        }
        int status = 0;
        double deadline = now_s() + 5;
        bool reaped = false;
        while (!reaped && now_s() < deadline) {
            pid_t done = ::waitpid(pid_, &status, WNOHANG);
            reaped = done == pid_ || (done < 0 && errno != EINTR);
            if (!reaped) ::usleep(20000);
        }
        // Also after a clean exit: helpers left in the group must not outlive the test.
        ::kill(-pid_, SIGKILL);
        if (!reaped) ::waitpid(pid_, &status, 0);
        pid_ = -1;
    }
    for (int *fd : {&to_browser_, &from_browser_})
        if (*fd >= 0) ::close(*fd), *fd = -1;
    if (!temp_dir_.empty()) {
        std::error_code ec;
        fs::remove_all(temp_dir_, ec);
        temp_dir_.clear();
    }
}

std::string HeadlessBrowser::log_tail() const {
    std::ifstream in(temp_dir_ / "chromium.log");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    std::string tail = "\n--- chromium log (last lines) ---";
    for (size_t i = lines.size() > 15 ? lines.size() - 15 : 0; i < lines.size(); ++i) tail += "\n" + lines[i];
    return tail;
}

void HeadlessBrowser::send(const json &message, double deadline) {
    std::string data = message.dump();
    data.push_back('\0');
    size_t done = 0;
    while (done < data.size()) {
        pollfd pfd{to_browser_, POLLOUT, 0};
        if (::poll(&pfd, 1, remaining_ms(deadline)) == 0)
            throw std::runtime_error("headless browser: timed out sending " + message.value("method", std::string()));
        // A write to a closed pipe raises SIGPIPE, which would kill the test process: block it
        // around the write and swallow the one this write raised.
        sigset_t pipe_set, old_set;
        sigemptyset(&pipe_set);
        sigaddset(&pipe_set, SIGPIPE);
        ::pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
        ssize_t n = ::write(to_browser_, data.data() + done, data.size() - done);
        int error = errno;
        if (n < 0 && error == EPIPE) {
            timespec zero{0, 0};
            ::sigtimedwait(&pipe_set, nullptr, &zero);
        }
        ::pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
        if (n > 0) done += static_cast<size_t>(n);
        else if (n < 0 && error != EAGAIN && error != EINTR)
            throw std::runtime_error("headless browser: chromium stopped reading commands (" +
                                     std::string(std::strerror(error)) + ")" + log_tail());
    }
}

json HeadlessBrowser::read_message(double deadline, const std::string &waiting_for) {
    size_t searched = 0; // a screenshot arrives in many chunks: scan each byte once
    for (;;) {
        size_t end = buffer_.find('\0', searched);
        searched = buffer_.size();
        if (end != std::string::npos) {
            std::string text = buffer_.substr(0, end);
            buffer_.erase(0, end + 1);
            return json::parse(text);
        }
        pollfd pfd{from_browser_, POLLIN, 0};
        int ready = ::poll(&pfd, 1, remaining_ms(deadline));
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0 && waiting_for.empty()) return json(); // a pump's timeout, not an error
        if (ready == 0)
            throw std::runtime_error("headless browser: timed out waiting for " + waiting_for + log_tail());
        char chunk[65536];
        ssize_t n = ::read(from_browser_, chunk, sizeof chunk);
        if (n == 0)
            throw std::runtime_error("headless browser: chromium exited while waiting for " + waiting_for +
                                     log_tail());
        if (n < 0 && errno != EAGAIN && errno != EINTR)
            throw std::runtime_error("headless browser: read: " + std::string(std::strerror(errno)));
        if (n > 0) buffer_.append(chunk, static_cast<size_t>(n));
    }
}

json HeadlessBrowser::call(const std::string &method, const json &params, bool on_session) {
    double deadline = now_s() + options_.timeout_s;
    long long id = next_id_++;
    json message = {{"id", id}, {"method", method}, {"params", params}};
    if (on_session) message["sessionId"] = session_id_;
    send(message, deadline);
    for (;;) {
        json reply = read_message(deadline, method);
        if (!reply.contains("id")) {
            handle_event(reply);
            continue;
        }
        if (reply["id"] != id) continue; // a late reply to a command that timed out
        if (reply.contains("error"))
            throw std::runtime_error("headless browser: " + method + " failed: " +
                                     reply["error"].value("message", reply["error"].dump()));
        return reply.value("result", json::object());
    }
}

void HeadlessBrowser::pump_until(double deadline) {
    for (json message; !(message = read_message(deadline, "")).is_null();)
        if (!message.contains("id")) handle_event(message);
}

void HeadlessBrowser::handle_event(const json &event) {
    std::string method = event.value("method", std::string());
    ++event_counts_[method];
    const json params = event.value("params", json::object());
    if (method == "Runtime.consoleAPICalled" && params.value("type", std::string()) == "error") {
        BrowserMessage message{"console.error", "", "", -1};
        for (const json &arg : params.value("args", json::array()))
            message.text += (message.text.empty() ? "" : " ") + remote_text(arg);
        json frames = params.value("stackTrace", json::object()).value("callFrames", json::array());
        if (!frames.empty()) {
            message.url = frames[0].value("url", std::string());
            message.line = frames[0].value("lineNumber", -1);
        }
        errors_.push_back(std::move(message));
    } else if (method == "Runtime.exceptionThrown") {
        const json details = params.value("exceptionDetails", json::object());
        std::string text = details.value("text", std::string());
        if (details.contains("exception")) text = remote_text(details["exception"]);
        errors_.push_back({"exception", text, details.value("url", std::string()), details.value("lineNumber", -1)});
    } else if (method == "Log.entryAdded") {
        const json entry = params.value("entry", json::object());
        if (entry.value("level", std::string()) == "error")
            errors_.push_back({"log.error", entry.value("text", std::string()), entry.value("url", std::string()),
                               entry.value("lineNumber", -1)});
    } else if (method == "Network.requestWillBeSent") {
        requested_urls_.push_back(params.value("request", json::object()).value("url", std::string()));
    }
}

void HeadlessBrowser::open(const fs::path &html_file) {
    double deadline = now_s() + options_.timeout_s;
    long long loads = event_counts_["Page.loadEventFired"];
    json result = call("Page.navigate", {{"url", file_url(html_file)}});
    if (result.contains("errorText"))
        throw std::runtime_error("headless browser: cannot open " + html_file.string() + ": " +
                                 result["errorText"].get<std::string>());
    while (event_counts_["Page.loadEventFired"] == loads) {
        json message = read_message(deadline, "Page.loadEventFired");
        if (!message.contains("id")) handle_event(message);
    }
}

json HeadlessBrowser::evaluate(const std::string &expression) {
    json result = call("Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}});
    if (result.contains("exceptionDetails")) {
        const json &details = result["exceptionDetails"];
        std::string text = details.value("text", std::string());
        if (details.contains("exception")) text = remote_text(details["exception"]);
        throw std::runtime_error("headless browser: JavaScript exception: " + text);
    }
    return result.value("result", json::object()).value("value", json());
}

bool HeadlessBrowser::wait_until(const std::string &expression, double timeout_s) {
    double deadline = now_s() + timeout_s;
    for (;;) {
        try {
            if (evaluate("!!(" + expression + "\n)").get<bool>()) return true;
        } catch (const std::runtime_error &error) {
            if (std::string(error.what()).find("JavaScript exception") == std::string::npos) throw;
        }
        if (now_s() >= deadline) return false;
        pump_until(std::min(deadline, now_s() + 0.05)); // keep reading events while we wait
    }
}

std::vector<unsigned char> HeadlessBrowser::screenshot_png(bool full_page) {
    json params = {{"format", "png"}};
    if (full_page) {
        json size = call("Page.getLayoutMetrics", json::object())["cssContentSize"];
        params["captureBeyondViewport"] = true;
        params["clip"] = {{"x", 0}, {"y", 0}, {"width", std::ceil(size["width"].get<double>())},
                          {"height", std::ceil(size["height"].get<double>())}, {"scale", 1}};
    }
    return base64_decode(call("Page.captureScreenshot", params)["data"].get<std::string>());
}

void HeadlessBrowser::save_screenshot(const fs::path &png, bool full_page) {
    std::vector<unsigned char> data = screenshot_png(full_page);
    std::ofstream out(png, std::ios::binary);
    out.write(reinterpret_cast<const char *>(data.data()), static_cast<std::streamsize>(data.size()));
    if (!out) throw std::runtime_error("headless browser: cannot write " + png.string());
}

} // namespace tune::test
