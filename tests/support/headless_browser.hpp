// A small driver for headless Chromium, for tests (and a benchmark) that need a real browser:
// open an HTML file, collect console errors, uncaught exceptions and failed loads, evaluate
// JavaScript and take PNG screenshots.
//
// It speaks the Chrome DevTools Protocol over a pipe (--remote-debugging-pipe: commands on the
// browser's fd 3, replies and events on its fd 4, each message a JSON object ended by a NUL)
// rather than a websocket: no port to pick or collide on, no HTTP/websocket client to carry,
// and nothing a test could reach over the network. One browser per object; single-threaded.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tune::test {

struct BrowserOptions {
    std::string executable; // empty: $TUNE_CHROMIUM if set, else /usr/bin/chromium
    int width = 1280, height = 900;
    double timeout_s = 60; // per operation
};

struct BrowserMessage {
    std::string kind; // "console.error", "exception", "log.error"
    std::string text; // for an exception, its description with the stack
    std::string url;
    int line = -1; // 0-based, as CDP reports it; -1 if unknown
};

class HeadlessBrowser {
public:
    // Starts chromium; throws std::runtime_error (with the reason and chromium's log tail) if it
    // cannot.
    explicit HeadlessBrowser(BrowserOptions options = {});
    ~HeadlessBrowser(); // closes the browser; never throws
    HeadlessBrowser(const HeadlessBrowser &) = delete;
    HeadlessBrowser &operator=(const HeadlessBrowser &) = delete;

    // Navigates to the file and waits for its load event.
    void open(const std::filesystem::path &html_file);
    // The expression's value (promises are awaited); throws std::runtime_error with the
    // JavaScript exception's text if it throws.
    nlohmann::json evaluate(const std::string &expression);
    // Polls every 50 ms until the expression is truthy (true) or timeout_s passes (false). An
    // expression that throws counts as not yet true.
    bool wait_until(const std::string &expression, double timeout_s);
    // console.error calls, uncaught exceptions and Log entries of level error (e.g. a missing
    // resource), since start.
    const std::vector<BrowserMessage> &errors() const { return errors_; }
    // Every URL the page requested (Network.requestWillBeSent), since start.
    const std::vector<std::string> &requested_urls() const { return requested_urls_; }
    std::vector<unsigned char> screenshot_png(bool full_page);
    void save_screenshot(const std::filesystem::path &png, bool full_page);

    static std::string default_executable();
    // The executable exists and is executable.
    static bool available(const BrowserOptions &options = {});

private:
    nlohmann::json call(const std::string &method, const nlohmann::json &params, bool on_session = true);
    void send(const nlohmann::json &message, double deadline);
    // The next message; on timeout throws naming `waiting_for`, or returns null if it is empty.
    nlohmann::json read_message(double deadline, const std::string &waiting_for);
    void pump_until(double deadline); // handles events until the deadline
    void handle_event(const nlohmann::json &event);
    std::string log_tail() const;
    void shutdown() noexcept;

    BrowserOptions options_;
    pid_t pid_ = -1;
    int to_browser_ = -1, from_browser_ = -1;
    std::string buffer_; // bytes read but not yet split into messages
    std::filesystem::path temp_dir_;
    std::string session_id_;
    long long next_id_ = 1;
    std::map<std::string, long long> event_counts_;
    std::vector<BrowserMessage> errors_;
    std::vector<std::string> requested_urls_;
};

} // namespace tune::test
