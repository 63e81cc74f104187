#include "core/cli/check_plugin_command.hpp"

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/cli/exit_codes.hpp"
#include "core/conformance/check_catalog.hpp"
#include "core/conformance/check_runner.hpp"
#include "core/conformance/junit_report.hpp"

namespace tune::cli {

namespace {

namespace conf = tune::conformance;

struct CheckPluginOptions {
    std::string library;
    std::string id;
    std::string config; // JSON text, or @FILE
    std::string command; // a program for org.tune.command, as a shell would split it
    std::string junit;
    bool list = false;
    conf::CheckOptions checks;
};

// --config as a JSON object; `@FILE` reads it from FILE. Prints the error and returns false.
bool parse_config(const std::string &text, conf::CheckOptions &checks) {
    std::string json_text = text;
    std::string source = "--config";
    if (!text.empty() && text[0] == '@') {
        source = text.substr(1);
        std::ifstream in(source);
        if (!in) {
            std::cerr << "tune: error: --config: cannot read " << source << "\n";
            return false;
        }
        std::stringstream buffer;
        buffer << in.rdbuf();
        json_text = buffer.str();
    }
    try {
        checks.config = nlohmann::json::parse(json_text);
    } catch (const nlohmann::json::exception &e) {
        std::cerr << "tune: error: " << source << ": not valid JSON: " << e.what() << "\n";
        return false;
    }
    if (!checks.config->is_object()) {
        std::cerr << "tune: error: " << source << ": expected a JSON object (a trainable's config or a searcher's or "
                  << "scheduler's settings), got " << checks.config->type_name() << "\n";
        return false;
    }
    return true;
}

// "python3 train.py --lr={lr} 'a b'" as a POSIX shell splits it: words at blanks, quotes and
// backslashes kept out of the words. Nothing is expanded. Throws on an unterminated quote.
std::vector<std::string> split_command(const std::string &text) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ' ' || c == '\t' || c == '\n') {
            if (in_word) words.push_back(std::exchange(word, {}));
            in_word = false;
        } else if (c == '\'' || c == '"') {
            const std::size_t close = text.find(c, i + 1);
            if (close == std::string::npos)
                throw std::invalid_argument(std::string("--command: unterminated ") + c + " quote");
            word += text.substr(i + 1, close - i - 1);
            i = close;
            in_word = true;
        } else if (c == '\\' && i + 1 < text.size()) {
            word += text[++i];
            in_word = true;
        } else {
            word += c;
            in_word = true;
        }
    }
    if (in_word) words.push_back(word);
    return words;
}

// --command: the checks run org.tune.command from the plugin search path, with the program in
// the config's command table. Prints the error and returns false.
bool use_command(const CliContext &context, CheckPluginOptions &options) {
    std::vector<std::string> argv;
    try {
        argv = split_command(options.command);
    } catch (const std::invalid_argument &e) {
        std::cerr << "tune: error: " << e.what() << "\n";
        return false;
    }
    if (argv.empty()) {
        std::cerr << "tune: error: --command: no program given\n";
        return false;
    }
    if (!options.library.empty()) {
        std::cerr << "tune: error: check-plugin: give LIB or --command, not both\n";
        return false;
    }
    try {
        options.library = context.load_registry().resolve("org.tune.command", TUNE_KIND_TRAINABLE).file.string();
    } catch (const std::exception &e) {
        std::cerr << "tune: error: --command needs the command trainable (org.tune.command): " << e.what() << "\n";
        return false;
    }
    options.id = "org.tune.command";
    nlohmann::json config = options.checks.config.value_or(nlohmann::json::object());
    if (config.contains("command") && !config["command"].is_object()) {
        std::cerr << "tune: error: --config: 'command' must be a table to combine with --command\n";
        return false;
    }
    config["command"]["argv"] = argv;
    // The program gets the other keys as text: their types are the program's to judge.
    for (const auto &item : config.items())
        if (item.key() != "command") options.checks.pass_through_keys.push_back(item.key());
    options.checks.config = config;
    return true;
}

void print_result(const conf::CheckResult &r) {
    std::string where = r.plugin_id.empty() ? "" : "[" + r.plugin_id + "] ";
    std::cout << fmt::format("{} {:<31} {}{}\n", r.passed ? "PASS" : "FAIL", r.check, where, r.message);
    if (!r.passed && !r.output.empty()) {
        std::istringstream lines(r.output);
        for (std::string line; std::getline(lines, line);) std::cout << "     | " << line << "\n";
    }
    std::cout.flush();
}

// Which config a plugin's checks run with, so that a failure can be read against it.
void print_config_origin(const conf::CheckSubject &subject, conf::ConfigOrigin origin) {
    const char *from = origin == conf::ConfigOrigin::option    ? "--config"
                       : origin == conf::ConfigOrigin::example ? "its example config (--config to use another)"
                                                               : "the default for its kind (no --config, no example)";
    std::cout << fmt::format("[{}] config from {}: {}\n", subject.plugin_id, from, subject.config.dump());
}

void print_catalog() {
    std::cout << "Checks of the library:\n";
    for (const auto &c : conf::library_checks()) std::cout << fmt::format("  {:<31} {}\n", c.name, c.summary);
    bool first = true;
    for (tune_plugin_kind_t kind : {TUNE_KIND_TRAINABLE, TUNE_KIND_SEARCHER, TUNE_KIND_SCHEDULER}) {
        std::cout << (first ? "Checks of every plugin, then of its kind:\n" : "");
        for (const auto &c : conf::plugin_checks(kind)) {
            bool common = c.name.find('.') == std::string::npos;
            if (common && !first) continue;
            std::cout << fmt::format("  {:<31} {}\n", c.name, c.summary);
        }
        first = false;
    }
}

int run_check_plugin(const CliContext &context, const CheckPluginOptions &options_in) {
    CheckPluginOptions options = options_in;
    if (options.list) {
        print_catalog();
        return kExitSuccess;
    }
    if (!options.config.empty() && !parse_config(options.config, options.checks)) return kExitUsage;
    if (!options.command.empty() && !use_command(context, options)) return kExitUsage;
    if (options.library.empty()) {
        std::cerr << "tune: error: check-plugin: LIB is required (a plugin library file), or --command\n";
        return kExitUsage;
    }

    std::cout << "Checking " << options.library << "\n";
    std::optional<std::string> only_id;
    if (!options.id.empty()) only_id = options.id;
    conf::RunSummary summary =
        conf::run_conformance(options.library, only_id, options.checks, print_result, print_config_origin);
    if (!summary.unknown_id.empty()) {
        std::string known;
        for (const auto &id : summary.known_ids) known += (known.empty() ? "" : ", ") + id;
        std::cerr << fmt::format("tune: error: --id: {} has no plugin '{}'; it has: {}\n", options.library,
                                 summary.unknown_id, known);
        return kExitUsage;
    }
    const std::size_t failed = summary.failed();
    std::cout << fmt::format("{} check{}: {} passed, {} failed\n", summary.results.size(),
                             summary.results.size() == 1 ? "" : "s", summary.results.size() - failed, failed);
    if (!options.junit.empty()) {
        try {
            conf::write_junit(options.junit, options.library, summary.results);
        } catch (const std::exception &e) {
            std::cerr << "tune: error: " << e.what() << "\n";
            return kExitFailure;
        }
    }
    return failed == 0 ? kExitSuccess : kExitFailure;
}

} // namespace

void add_check_plugin_command(CLI::App &app, const CliContext &context, int *exit_code) {
    auto options = std::make_shared<CheckPluginOptions>();
    auto *cmd = app.add_subcommand("check-plugin",
                                   "Run the conformance checks on a plugin library, each in a child process");
    cmd->add_option("LIB", options->library, "The plugin library (.so) to check")->type_name("FILE");
    cmd->add_option("--id", options->id, "Check only this plugin of the library")->type_name("ID");
    cmd->add_option("--config", options->config,
                    "A trainable's config, or a searcher's or scheduler's settings, as a JSON object; @FILE reads "
                    "it from a file")
        ->type_name("JSON");
    cmd->add_option("--metric", options->checks.metric,
                    "The metric every trainable result must hold (default: the first number of the first result)")
        ->type_name("NAME");
    cmd->add_option("--steps", options->checks.steps, "Trainable steps per run")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    cmd->add_option("--ignore-key", options->checks.ignore_keys,
                    "A result key that may differ between identical runs, such as a timing (repeatable)")
        ->type_name("KEY");
    cmd->add_option("--timeout", options->checks.timeout_s, "Seconds each check may take before it fails")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cmd->add_option("--junit", options->junit, "Also write a JUnit XML report to FILE")->type_name("FILE");
    cmd->add_option("--command", options->command,
                    "Check a training program run by the command trainable (org.tune.command) instead of LIB: "
                    "its argv as a shell would split it, {placeholders} filled from --config")
        ->type_name("\"PROGRAM ARGS...\"");
    cmd->add_flag("--list", options->list, "List the checks and what each tests, then exit");
    cmd->callback([&context, options, exit_code] { *exit_code = run_check_plugin(context, *options); });
}

} // namespace tune::cli
