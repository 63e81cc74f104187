// `tune results DIR`: print an experiment's trial table and best trial again.
#pragma once

#include <CLI/CLI.hpp>

#include "core/cli/cli_context.hpp"

namespace tune::cli {

void add_results_command(CLI::App &app, const CliContext &context, int *exit_code);

} // namespace tune::cli
