// plugins.json in an experiment's folder: the library file each of its plugins (trainable,
// searcher, scheduler) was loaded from, so that `tune resume` finds a plugin the run got
// from --plugin-path without the flag being given again.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace tune::core {

struct RecordedPlugin {
    std::string role; // "trainable", "searcher" or "scheduler"
    std::string id;   // the plugin's full id
    std::filesystem::path file;
};

inline constexpr const char *kPluginRecordFileName = "plugins.json";

// Writes dir/plugins.json (through a temporary file and a rename). Throws std::runtime_error
// naming the file if it cannot be written.
void write_plugin_record(const std::filesystem::path &dir, const std::vector<RecordedPlugin> &plugins);

// The plugins recorded in dir/plugins.json; none when the file is absent (an experiment
// from before it was written). Throws std::runtime_error naming the file and what is wrong
// when it is not the JSON that write_plugin_record writes.
std::vector<RecordedPlugin> read_plugin_record(const std::filesystem::path &dir);

} // namespace tune::core
