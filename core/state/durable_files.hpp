// Making files survive a power loss, not only a killed process: fsync of files and folders.
#pragma once

#include <filesystem>

namespace tune::core {

// fsyncs every regular file under dir, then every folder under it and dir itself, so that
// a rename of dir that follows publishes complete contents. Throws std::runtime_error naming
// the path that could not be synced.
void sync_folder_tree(const std::filesystem::path &dir);

// fsyncs one folder, making the renames and creations inside it durable. Best effort: a
// folder that cannot be opened is left alone.
void sync_folder(const std::filesystem::path &dir);

} // namespace tune::core
