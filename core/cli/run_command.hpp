// `tune run FILE`: run an experiment to the end and print the best trial.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "core/cli/cli_context.hpp"
#include "core/config/experiment.hpp"
#include "core/engine/engine.hpp"

namespace tune::cli {

void add_run_command(CLI::App &app, const CliContext &context, int *exit_code);

// --progress and --progress-interval, shared by run and resume.
struct ProgressFlags {
    std::string progress = "auto";
    double interval_s = 0.0; // 0: 1 s live, 10 s plain
};
void add_progress_flags(CLI::App &command, ProgressFlags &flags);

// Runs the experiment (or resumes it, when options.resume_state is set) with the progress
// flags, then prints the trial table and the best trial. Returns the exit status.
int run_experiment(const core::PluginRegistry &registry, const core::Experiment &experiment,
                   const ProgressFlags &flags, core::EngineOptions options);

} // namespace tune::cli
