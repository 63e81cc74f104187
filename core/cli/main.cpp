// The tune executable: parses the command line and dispatches to a subcommand.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "core/cli/check_plugin_command.hpp"
#include "core/cli/cli_context.hpp"
#include "core/cli/exit_codes.hpp"
#include "core/cli/new_command.hpp"
#include "core/cli/plugins_command.hpp"
#include "core/cli/report_command.hpp"
#include "core/cli/results_command.hpp"
#include "core/cli/resume_command.hpp"
#include "core/cli/run_command.hpp"
#include "core/cli/validate_command.hpp"
#include "core/plugin/plugin_error.hpp"

namespace {

// CLI11 answers a first word that is no subcommand with "A subcommand is required": say
// what it was and which commands there are. Nullopt when that is not what happened.
std::optional<std::string> unknown_command(CLI::App &app) {
    if (!app.get_subcommands().empty()) return std::nullopt;
    const auto left = app.remaining();
    if (left.empty() || left.front().empty() || left.front().front() == '-') return std::nullopt;
    std::vector<std::string> names;
    for (const CLI::App *command : app.get_subcommands([](CLI::App *) { return true; }))
        names.push_back(command->get_name());
    return fmt::format("unknown command '{}'; the commands are: {} (tune --help says more)", left.front(),
                       fmt::join(names, ", "));
}

} // namespace

int main(int argc, char **argv) {
    using namespace tune::cli;
    spdlog::set_default_logger(spdlog::stderr_color_mt("tune"));
    spdlog::set_pattern("tune: %^%l%$: %v");

    CliContext context;
    int exit_code = kExitSuccess;

    CLI::App app{"tune: hyperparameter tuning for C++ and LibTorch", "tune"};
    app.set_version_flag("--version", std::string("tune ") + TUNE_VERSION);
    app.require_subcommand(1);
    app.fallthrough();
    app.add_option("--plugin-path", context.plugin_paths,
                   "Folder or library to search for plugins first (repeatable; ':'-separated lists allowed). "
                   "Then $TUNE_PLUGIN_PATH, then <exe>/../lib/tune/plugins")
        ->type_name("PATH")
        ->check(CLI::Validator(tune::cli::missing_plugin_path, "", "existing plugin path"));
    app.add_option("--log-level", context.log_level, "trace, debug, info, warn, error or off")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
        ->capture_default_str();
    app.parse_complete_callback([&] { spdlog::set_level(spdlog::level::from_str(context.log_level)); });

    add_plugins_command(app, context, &exit_code);
    add_validate_command(app, context, &exit_code);
    add_run_command(app, context, &exit_code);
    add_resume_command(app, context, &exit_code);
    add_results_command(app, context, &exit_code);
    add_report_command(app, context, &exit_code);
    add_check_plugin_command(app, context, &exit_code);
    add_new_command(app, &exit_code);

    try {
        app.parse(argc, argv);
    } catch (const CLI::RequiredError &e) {
        if (auto message = unknown_command(app)) {
            std::cerr << "tune: error: " << *message << "\n";
            return kExitUsage;
        }
        int code = app.exit(e);
        return code == 0 ? kExitSuccess : kExitUsage;
    } catch (const CLI::ParseError &e) {
        int code = app.exit(e);
        return code == 0 ? kExitSuccess : kExitUsage;
    } catch (const tune::core::PluginError &e) {
        std::cerr << "tune: error: " << e.what() << "\n";
        return kExitPlugin;
    } catch (const std::exception &e) {
        std::cerr << "tune: error: " << e.what() << "\n";
        return kExitFailure;
    }
    return exit_code;
}
