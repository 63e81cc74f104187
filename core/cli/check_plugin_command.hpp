// `tune check-plugin LIB`: the plugin conformance kit's command line (core/conformance).
#pragma once

#include <CLI/CLI.hpp>

#include "core/cli/cli_context.hpp"

namespace tune::cli {

// Registers the subcommand on app; it runs when parsed and stores its exit status in *exit_code.
void add_check_plugin_command(CLI::App &app, const CliContext &context, int *exit_code);

} // namespace tune::cli
