// Options shared by every subcommand, and the plugin registry they describe.
#pragma once

#include <string>
#include <vector>

#include "core/plugin/plugin_registry.hpp"

namespace tune::cli {

struct CliContext {
    std::vector<std::string> plugin_paths; // --plugin-path, in order
    std::string log_level = "warn";        // --log-level

    // Scans the search path (flag, $TUNE_PLUGIN_PATH, default folder). Warnings about
    // libraries that failed to load go to stderr. Throws core::PluginError on duplicates.
    core::PluginRegistry load_registry() const;
};

} // namespace tune::cli
