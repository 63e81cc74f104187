// `tune run FILE`: run an experiment to the end and print the best trial.
#pragma once

#include <CLI/CLI.hpp>

#include "core/cli/cli_context.hpp"

namespace tune::cli {

void add_run_command(CLI::App &app, const CliContext &context, int *exit_code);

} // namespace tune::cli
