// Runs one conformance check in a child process, so that a plugin that crashes, aborts,
// exits or hangs fails that check instead of taking the checker down.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace tune::conformance {

struct IsolatedOutcome {
    bool completed = false; // the body returned or threw, and its report reached the parent
    nlohmann::json report;  // what the body returned (when completed)
    std::string failure;    // why not: "crashed with signal 11 (Segmentation fault)", "timed out after 60 s"
    std::string output;     // the last lines the child wrote to stdout/stderr
};

// Forks; the child sends its stdout and stderr to log_file, runs body and sends its JSON
// report back through a pipe, then _exits without running destructors or atexit handlers.
// The parent waits at most timeout_s, then kills the child. Not thread-safe (fork).
IsolatedOutcome run_isolated(const std::function<nlohmann::json()> &body, double timeout_s,
                             const std::filesystem::path &log_file);

} // namespace tune::conformance
