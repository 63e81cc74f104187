// `tune resume DIR`: continue an experiment whose host was stopped or killed.
#pragma once

#include <filesystem>

#include <CLI/CLI.hpp>

#include "core/cli/cli_context.hpp"
#include "core/cli/run_command.hpp"

namespace tune::cli {

void add_resume_command(CLI::App &app, const CliContext &context, int *exit_code);

// Resumes the experiment saved in dir and returns the exit status. file_experiment, if not
// null, is the experiment `tune run FILE --resume` read, compared with the saved one. The
// plugins come from the search path, and a plugin it lacks from the library file the
// experiment ran with (plugins.json), so a run's --plugin-path need not be given again.
int resume_experiment(const CliContext &context, const std::filesystem::path &dir, const ProgressFlags &flags,
                      const core::Experiment *file_experiment, core::ExecutionBackend *backend = nullptr);

} // namespace tune::cli
