#include "core/cli/run_command.hpp"

#include <unistd.h>

#include <iostream>
#include <memory>

#include "core/cli/exit_codes.hpp"
#include "core/cli/validate_command.hpp"
#include "core/config/experiment_loader.hpp"
#include "core/engine/engine.hpp"
#include "core/plugin/search_path.hpp"

namespace tune::cli {

namespace {

struct RunOptions {
    std::string file;
    std::vector<std::string> overrides;
    bool overwrite = false;
    std::string progress = "auto";
    double progress_interval_s = 0.0; // 0: 1 s live, 10 s plain
};

core::ProgressStyle progress_style(const std::string &name) {
    if (name == "live") return core::ProgressStyle::Live;
    if (name == "plain") return core::ProgressStyle::Plain;
    if (name == "quiet") return core::ProgressStyle::Quiet;
    return ::isatty(STDOUT_FILENO) ? core::ProgressStyle::Live : core::ProgressStyle::Plain;
}

int run(const CliContext &context, const RunOptions &options) {
    auto registry = context.load_registry();
    core::Experiment experiment;
    try {
        experiment = core::load_experiment(options.file, options.overrides, &registry);
    } catch (const core::ConfigError &e) {
        return report_config_error(options.file, e);
    }

    core::EngineOptions engine_options;
    engine_options.worker_executable = core::current_executable().parent_path() / "tune-worker";
    engine_options.progress_style = progress_style(options.progress);
    engine_options.progress_interval_s = options.progress_interval_s > 0 ? options.progress_interval_s
                                         : engine_options.progress_style == core::ProgressStyle::Live ? 1.0
                                                                                                      : 10.0;
    engine_options.overwrite = options.overwrite;

    core::EngineOutcome outcome;
    try {
        core::Engine engine(experiment, registry, engine_options);
        outcome = engine.run();
    } catch (const core::ExperimentSetupError &e) {
        std::cerr << "tune: error: " << e.what() << "\n";
        return kExitUsage;
    }
    std::cout << "\n" << core::render_summary(outcome.summary, 50);
    std::cout << "Results: " << experiment.experiment_dir().string() << "\n";
    if (outcome.interrupted) return kExitInterrupted;
    return outcome.errored_trials > 0 ? kExitFailure : kExitSuccess;
}

} // namespace

void add_run_command(CLI::App &app, const CliContext &context, int *exit_code) {
    auto options = std::make_shared<RunOptions>();
    auto *cmd = app.add_subcommand("run", "Run an experiment file to the end and print the best trial");
    cmd->add_option("file", options->file, "The experiment file (TOML)")->required()->check(CLI::ExistingFile);
    cmd->add_option("--set", options->overrides, "Override a value: key.path=value (repeatable)")
        ->type_name("KEY=VALUE");
    cmd->add_flag("--overwrite", options->overwrite, "Replace an existing experiment folder of the same name");
    cmd->add_option("--progress", options->progress, "auto (live on a terminal, plain otherwise), live, plain, quiet")
        ->check(CLI::IsMember({"auto", "live", "plain", "quiet"}))
        ->capture_default_str();
    cmd->add_option("--progress-interval", options->progress_interval_s,
                    "Seconds between progress reports (default 1 live, 10 plain)")
        ->check(CLI::PositiveNumber);
    cmd->callback([&context, options, exit_code] { *exit_code = run(context, *options); });
}

} // namespace tune::cli
