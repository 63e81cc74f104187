// `tune new trainable NAME`: scaffolds a plugin project that builds against the installed SDK.
#pragma once

#include <CLI/CLI.hpp>

namespace tune::cli {

// Registers the subcommand on app; it runs when parsed and stores its exit status in *exit_code.
void add_new_command(CLI::App &app, int *exit_code);

} // namespace tune::cli
