// The problems found in an experiment file, each located at a file, line, column and key.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace tune::core {

struct ConfigIssue {
    std::string file;     // the experiment file, or "--set KEY=VALUE" for a value given on the command line
    int line = 0;         // 1-based; 0 when the problem has no position (e.g. an override that does not parse)
    int column = 0;       // 1-based; 0 when line is 0
    std::string key_path; // "experiment.num_samples"; empty when the problem is not about one key
    std::string message;  // what was expected and what was found

    // "FILE:LINE:COL: KEY.PATH: MESSAGE", leaving out the position and key path when absent.
    std::string to_string() const;
};

// An experiment file (or an override of it) is invalid. what() lists every issue's
// to_string(), one per line.
class ConfigError : public std::runtime_error {
public:
    explicit ConfigError(std::vector<ConfigIssue> issues);
    const std::vector<ConfigIssue> &issues() const { return issues_; }

private:
    std::vector<ConfigIssue> issues_;
};

} // namespace tune::core
