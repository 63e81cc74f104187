// What the command trainable runs, from the trial config's "command" table
// (docs/command-trainable.md), and the placeholders that put config values into arguments.
#pragma once

#include <string>
#include <vector>

#include "tune/sdk/common.hpp"

namespace tune::command {

struct CommandSpec {
    std::vector<std::string> argv;              // with placeholders, as written
    std::string working_dir;                    // "" for the directory tune was started in
    std::vector<std::pair<std::string, std::string>> env; // added to the worker's environment
    bool config_file = true;                    // write the config as JSON, named by TUNE_CONFIG_FILE
    std::string result_prefix = "tune-result";  // a result line: the prefix, a space, a JSON object
    double stop_grace_s = 10.0;                 // SIGTERM to SIGKILL

    // Reads config["command"]; throws ConfigError naming the key and what was expected.
    static CommandSpec parse(const Json &config);
};

// The trial's config as the program sees it: everything but the "command" table.
Json program_config(const Json &config);

// argv with each "{path}" replaced by the config value at path ("lr", "model.l1"): a string as
// it is, any other value as JSON ("0.001", "true", "[1,2]"). "{{" and "}}" are literal braces.
// Throws ConfigError naming the argument and the placeholder when a path is not in config or a
// brace is unmatched.
std::vector<std::string> expand_placeholders(const std::vector<std::string> &argv, const Json &config);

} // namespace tune::command
