// `tune validate FILE [--set key.path=value]...`: check an experiment file without running it.
#pragma once

#include <CLI/CLI.hpp>

#include "core/cli/cli_context.hpp"
#include "core/config/config_error.hpp"

namespace tune::cli {

// Registers the subcommand on app; it runs when parsed and stores its exit status in *exit_code:
// kExitSuccess for a valid file, kExitUsage after printing every issue to stderr.
void add_validate_command(CLI::App &app, const CliContext &context, int *exit_code);

// Prints every issue of error to stderr, then a one-line verdict on file; returns kExitUsage.
// Shared by `validate` and `run`, so a bad file reads the same from both.
int report_config_error(const std::string &file, const core::ConfigError &error);

} // namespace tune::cli
