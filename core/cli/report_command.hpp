// `tune report DIR`: write DIR/report.html, the experiment's charts in one self-contained page.
#pragma once

#include <CLI/CLI.hpp>

#include "core/cli/cli_context.hpp"

namespace tune::cli {

void add_report_command(CLI::App &app, const CliContext &context, int *exit_code);

} // namespace tune::cli
