#include "command_spec.hpp"

#include <cmath>
#include <set>

namespace tune::command {

namespace {

constexpr const char *kKnown = "argv, working_dir, env, config_file, result_prefix, stop_grace_s";

[[noreturn]] void reject(const std::string &key, const std::string &expected, const Json &got) {
    throw ConfigError("command." + key + " must be " + expected + ", got " + got.dump());
}

// The value at a dotted path, or nullptr.
const Json *at_path(const Json &config, const std::string &path) {
    const Json *node = &config;
    std::size_t start = 0;
    for (;;) {
        const std::size_t dot = path.find('.', start);
        const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!node->is_object()) return nullptr;
        const auto found = node->find(key);
        if (found == node->end()) return nullptr;
        node = &*found;
        if (dot == std::string::npos) return node;
        start = dot + 1;
    }
}

std::string argument_text(const Json &value) {
    if (value.is_string()) return value.get<std::string>();
    return value.dump();
}

} // namespace

CommandSpec CommandSpec::parse(const Json &config) {
    if (!config.is_object() || !config.contains("command"))
        throw ConfigError("config key 'command' is missing: the command trainable needs a table "
                          "[trainable.config.command] with argv = [\"program\", \"--lr={lr}\", ...]");
    const Json &table = config["command"];
    if (!table.is_object())
        throw ConfigError("config key 'command' must be a table with argv = [...], got " + table.dump());
    CommandSpec spec;
    static const std::set<std::string> known = {"argv",          "working_dir",  "env",
                                                "config_file",   "result_prefix", "stop_grace_s"};
    for (const auto &item : table.items())
        if (!known.count(item.key()))
            throw ConfigError("unknown key command." + item.key() + "; known keys: " + kKnown);

    const Json &argv = json_field(table, "argv");
    if (!argv.is_array() || argv.empty()) reject("argv", "a non-empty array of strings", argv);
    for (const Json &argument : argv) {
        if (!argument.is_string()) reject("argv", "a non-empty array of strings", argv);
        spec.argv.push_back(argument.get<std::string>());
    }
    if (spec.argv[0].empty()) reject("argv", "an array whose first string names the program", argv);

    if (const Json &dir = json_field(table, "working_dir"); !dir.is_null()) {
        if (!dir.is_string()) reject("working_dir", "a string", dir);
        spec.working_dir = dir.get<std::string>();
    }
    if (const Json &env = json_field(table, "env"); !env.is_null()) {
        if (!env.is_object()) reject("env", "a table of strings", env);
        for (const auto &item : env.items()) {
            if (item.key().empty() || item.key().find('=') != std::string::npos)
                reject("env", "a table whose names have no '='", env);
            if (!item.value().is_string() && !item.value().is_number() && !item.value().is_boolean())
                reject("env." + item.key(), "a string, number or boolean", item.value());
            spec.env.emplace_back(item.key(), argument_text(item.value()));
        }
    }
    if (const Json &file = json_field(table, "config_file"); !file.is_null()) {
        if (!file.is_boolean()) reject("config_file", "true or false", file);
        spec.config_file = file.get<bool>();
    }
    if (const Json &prefix = json_field(table, "result_prefix"); !prefix.is_null()) {
        if (!prefix.is_string() || prefix.get<std::string>().empty() ||
            prefix.get<std::string>().find_first_of(" \t") != std::string::npos)
            reject("result_prefix", "a non-empty string without spaces", prefix);
        spec.result_prefix = prefix.get<std::string>();
    }
    if (const Json &grace = json_field(table, "stop_grace_s"); !grace.is_null()) {
        if (!grace.is_number() || !std::isfinite(grace.get<double>()) || grace.get<double>() < 0)
            reject("stop_grace_s", "a number of seconds >= 0", grace);
        spec.stop_grace_s = grace.get<double>();
    }
    // Every placeholder must resolve now, not when a trial starts.
    expand_placeholders(spec.argv, program_config(config));
    return spec;
}

Json program_config(const Json &config) {
    Json program = config;
    program.erase("command");
    return program;
}

std::vector<std::string> expand_placeholders(const std::vector<std::string> &argv, const Json &config) {
    std::vector<std::string> expanded;
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string &argument = argv[i];
        const auto where = [&] { return "command.argv[" + std::to_string(i) + "] \"" + argument + "\""; };
        std::string out;
        for (std::size_t at = 0; at < argument.size();) {
            const char c = argument[at];
            if ((c == '{' || c == '}') && at + 1 < argument.size() && argument[at + 1] == c) {
                out += c;
                at += 2;
            } else if (c == '}') {
                throw ConfigError(where() + " has a '}' without its '{' (write '}}' for a literal brace)");
            } else if (c == '{') {
                const std::size_t close = argument.find('}', at);
                if (close == std::string::npos)
                    throw ConfigError(where() + " has a '{' without its '}' (write '{{' for a literal brace)");
                const std::string path = argument.substr(at + 1, close - at - 1);
                const Json *value = at_path(config, path);
                if (!value)
                    throw ConfigError(where() + " names {" + path + "}, which is not in the trial's config");
                out += argument_text(*value);
                at = close + 1;
            } else {
                out += c;
                ++at;
            }
        }
        expanded.push_back(std::move(out));
    }
    return expanded;
}

} // namespace tune::command
