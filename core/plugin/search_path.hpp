// Where the host looks for plugin libraries.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace tune::core {

// Name of the environment variable that adds plugin folders (':'-separated, like PATH).
inline constexpr const char *kPluginPathEnv = "TUNE_PLUGIN_PATH";

// The search path, in priority order: the --plugin-path entries (each may hold several
// ':'-separated entries), then $TUNE_PLUGIN_PATH, then the default folder next to the
// executable (<exe dir>/../lib/tune/plugins, the same in the build and the install tree).
// Entries may be folders or single library files. Empty entries and repeats are dropped.
std::vector<std::filesystem::path> plugin_search_path(const std::vector<std::string> &cli_entries,
                                                      const char *env_value,
                                                      const std::filesystem::path &executable);

// The default plugin folder for an executable at `executable`.
std::filesystem::path default_plugin_dir(const std::filesystem::path &executable);

// The running executable's path (/proc/self/exe).
std::filesystem::path current_executable();

} // namespace tune::core
