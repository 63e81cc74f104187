// Options shared by every subcommand, and the plugin registry they describe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/plugin/plugin_registry.hpp"

namespace tune::cli {

// Forces the registry's scan to load every library into the host, as tune did before
// descriptors were read in a child and cached: TUNE_PLUGIN_SCAN=in-process (the fallback,
// and the benchmark's baseline). Any other value, or none, describes in tune-worker.
inline constexpr const char *kPluginScanEnv = "TUNE_PLUGIN_SCAN";

struct CliContext {
    std::vector<std::string> plugin_paths; // --plugin-path, in order
    std::string log_level = "warn";        // --log-level

    // Scans the search path (flag, $TUNE_PLUGIN_PATH, default folder): each library is
    // described from the descriptor cache, else by `tune-worker --describe` (a child), and
    // loaded into this process only when the host creates one of its plugins. Warnings about
    // libraries that cannot be used go to stderr. Throws core::PluginError on duplicates.
    core::PluginRegistry load_registry() const;

    // load_registry() once, at the first call; later calls return the same registry.
    const core::PluginRegistry &registry() const;

private:
    mutable std::shared_ptr<core::PluginRegistry> registry_;
};

// The --plugin-path check: every ':'-separated entry must exist (a folder or a file). The
// CLI11 validator's message names the first one that does not.
std::string missing_plugin_path(const std::string &value);

} // namespace tune::cli
