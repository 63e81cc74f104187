#include "core/cli/run_command.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "core/cli/cluster_launch.hpp"
#include "core/cli/exit_codes.hpp"
#include "core/cli/resume_command.hpp"
#include "core/cli/validate_command.hpp"
#include "core/config/experiment_loader.hpp"
#include "core/plugin/search_path.hpp"
#include "core/state/experiment_folder.hpp"
#include "core/state/state_store.hpp"

namespace tune::cli {

namespace {

struct RunOptions {
    std::string file;
    std::vector<std::string> overrides;
    bool overwrite = false;
    bool resume = false;
    ProgressFlags progress;
    ClusterFlags cluster;
};

core::ProgressStyle progress_style(const std::string &name) {
    if (name == "live") return core::ProgressStyle::Live;
    if (name == "plain") return core::ProgressStyle::Plain;
    if (name == "quiet") return core::ProgressStyle::Quiet;
    return ::isatty(STDOUT_FILENO) ? core::ProgressStyle::Live : core::ProgressStyle::Plain;
}

int run(const CliContext &context, const RunOptions &options, core::ExecutionBackend *backend) {
    core::Experiment experiment;
    try {
        // The plugins are scanned only once the file has parsed: a syntax error loads nothing.
        experiment = core::load_experiment_with_registry_source(options.file, options.overrides,
                                                                [&context] { return &context.registry(); });
    } catch (const core::ConfigError &e) {
        return report_config_error(options.file, e);
    }
    const core::PluginRegistry &registry = context.registry();
    // --resume continues the experiment in the folder this file names, if there is one.
    const auto dir = experiment.experiment_dir();
    if (options.resume && core::StateStore(dir).exists())
        return resume_experiment(context, dir, options.progress, &experiment, backend);
    core::EngineOptions engine_options;
    engine_options.overwrite = options.overwrite;
    if (options.resume && core::ExperimentFolder::stopped_before_first_save(dir)) {
        std::cerr << "tune: " << dir.string() << " was stopped before its first state save, so no trial had run: "
                  << "starting it afresh\n";
        engine_options.overwrite = true;
    }
    engine_options.backend = backend;
    return run_experiment(registry, experiment, options.progress, std::move(engine_options));
}

} // namespace

void add_progress_flags(CLI::App &command, ProgressFlags &flags) {
    command.add_option("--progress", flags.progress, "auto (live on a terminal, plain otherwise), live, plain, quiet")
        ->check(CLI::IsMember({"auto", "live", "plain", "quiet"}))
        ->capture_default_str();
    command
        .add_option("--progress-interval", flags.interval_s,
                    "Seconds between progress reports (default 1 live, 10 plain)")
        ->check(CLI::Validator(
            [](std::string &text) -> std::string {
                // CLI::PositiveNumber accepts nan and words its refusal with a 300-digit bound.
                char *end = nullptr;
                const double seconds = std::strtod(text.c_str(), &end);
                if (end == text.c_str() || *end != '\0' || !std::isfinite(seconds) || seconds <= 0 || seconds > 86400)
                    return "expected a number of seconds > 0 and <= 86400, got '" + text + "'";
                return {};
            },
            "SECONDS"));
}

int run_experiment(const core::PluginRegistry &registry, const core::Experiment &experiment,
                   const ProgressFlags &flags, core::EngineOptions engine_options) {
    engine_options.worker_executable = core::current_executable().parent_path() / "tune-worker";
    engine_options.progress_style = progress_style(flags.progress);
    engine_options.progress_interval_s = flags.interval_s > 0 ? flags.interval_s
                                         : engine_options.progress_style == core::ProgressStyle::Live ? 1.0
                                                                                                      : 10.0;
    std::filesystem::path dir =
        engine_options.experiment_dir.empty() ? experiment.experiment_dir() : engine_options.experiment_dir;
    // Every node must name the same folder, whatever its working directory.
    if (engine_options.backend) dir = engine_options.experiment_dir = std::filesystem::absolute(dir);
    core::EngineOutcome outcome;
    try {
        core::Engine engine(experiment, registry, engine_options);
        outcome = engine.run();
    } catch (const core::ExperimentSetupError &e) {
        std::cerr << "tune: error: " << e.what() << "\n";
        return kExitUsage;
    } catch (const core::DiskError &e) {
        std::cerr << "tune: error: " << e.what() << "\n"
                  << "tune: the experiment stopped with its state saved; once the problem is fixed, "
                  << "`tune resume " << dir.string() << "` continues it\n";
        return kExitFailure;
    }
    std::cout << "\n" << core::render_summary(outcome.summary, 50);
    std::cout << "Results: " << dir.string() << "\n";
    if (!outcome.report.empty()) std::cout << "Report: " << outcome.report.string() << "\n";
    if (outcome.interrupted) {
        std::cout << "Interrupted: `tune resume " << dir.string() << "` continues the experiment\n";
        return kExitInterrupted;
    }
    return outcome.errored_trials > 0 ? kExitFailure : kExitSuccess;
}

void add_run_command(CLI::App &app, const CliContext &context, int *exit_code) {
    auto options = std::make_shared<RunOptions>();
    auto *cmd = app.add_subcommand("run", "Run an experiment file to the end and print the best trial");
    cmd->add_option("file", options->file, "The experiment file (TOML)")->required()->check(CLI::ExistingFile);
    cmd->add_option("--set", options->overrides, "Override a value: key.path=value (repeatable)")
        ->type_name("KEY=VALUE");
    auto *overwrite =
        cmd->add_flag("--overwrite", options->overwrite, "Replace an existing experiment folder of the same name");
    cmd->add_flag("--resume", options->resume,
                  "Continue the experiment already in the results folder (as `tune resume`), or start it if there "
                  "is none")
        ->excludes(overwrite);
    add_progress_flags(*cmd, options->progress);
    add_cluster_flags(*cmd, options->cluster);
    cmd->callback([&context, options, exit_code] {
        *exit_code = with_cluster(options->cluster,
                                  [&](core::ExecutionBackend *backend) { return run(context, *options, backend); });
    });
}

} // namespace tune::cli
