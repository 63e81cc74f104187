// Runs every conformance check of a plugin library, each in its own child process: first the
// library checks, which discover its plugins, then each plugin's checks for its kind.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/conformance/check_result.hpp"
#include "core/conformance/check_subject.hpp"

namespace tune::conformance {

struct RunSummary {
    std::vector<CheckResult> results;
    std::string unknown_id; // set when --id names no plugin of the library
    std::vector<std::string> known_ids;
    std::size_t failed() const;
};

// Where a plugin's checks took their config from.
enum class ConfigOrigin { option, example, kind_default };

// Runs the checks of library (only plugin `only_id` when given), calling on_result after
// each check as it completes, and on_plugin (when set) before each plugin's own checks.
RunSummary run_conformance(
    const std::filesystem::path &library, const std::optional<std::string> &only_id, const CheckOptions &options,
    const std::function<void(const CheckResult &)> &on_result,
    const std::function<void(const CheckSubject &, ConfigOrigin)> &on_plugin = {});

} // namespace tune::conformance
