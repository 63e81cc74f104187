#include "core/config/config_error.hpp"

#include <utility>

namespace tune::core {

namespace {

std::string join_lines(const std::vector<ConfigIssue> &issues) {
    std::string text;
    for (const auto &issue : issues) {
        if (!text.empty()) text += '\n';
        text += issue.to_string();
    }
    return text;
}

} // namespace

std::string ConfigIssue::to_string() const {
    std::string text = file;
    if (line > 0) text += ":" + std::to_string(line) + ":" + std::to_string(column);
    if (!key_path.empty()) text += ": " + key_path;
    return text + ": " + message;
}

ConfigError::ConfigError(std::vector<ConfigIssue> issues)
    : std::runtime_error(join_lines(issues)), issues_(std::move(issues)) {}

} // namespace tune::core
