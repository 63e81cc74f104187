#include "core/state/checkpoint_storage.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/state/experiment_errors.hpp"
#include "core/state/durable_files.hpp"

namespace tune::core {
namespace fs = std::filesystem;

namespace {

fs::path temporary_of(const fs::path &checkpoint) { return checkpoint.string() + ".tmp"; }

} // namespace

fs::path FileCheckpointStorage::prepare(const fs::path &checkpoint) {
    const fs::path temporary = temporary_of(checkpoint);
    std::error_code ec;
    fs::remove_all(temporary, ec);
    fs::create_directories(temporary, ec);
    if (ec) throw DiskError(fmt::format("cannot create {}: {}", temporary.string(), ec.message()));
    return temporary;
}

void FileCheckpointStorage::commit(const fs::path &checkpoint) {
    const fs::path temporary = temporary_of(checkpoint);
    try { // its contents reach the disk before its name does, so a power loss cannot publish half of it
        sync_folder_tree(temporary);
    } catch (const std::exception &e) {
        throw DiskError(fmt::format("cannot finish checkpoint {}: {}", checkpoint.string(), e.what()));
    }
    std::error_code ec;
    fs::remove_all(checkpoint, ec); // a retried trial may save an iteration again
    fs::rename(temporary, checkpoint, ec);
    if (ec) throw DiskError(fmt::format("cannot finish checkpoint {}: {}", checkpoint.string(), ec.message()));
    sync_folder(checkpoint.parent_path());
}

void FileCheckpointStorage::clone(const fs::path &from, const fs::path &to) {
    const fs::path temporary = prepare(to);
    std::error_code ec;
    for (auto entry = fs::recursive_directory_iterator(from, ec); !ec && entry != fs::recursive_directory_iterator();
         entry.increment(ec)) {
        const fs::path target = temporary / entry->path().lexically_relative(from);
        if (entry->is_directory(ec)) {
            fs::create_directories(target, ec);
        } else {
            fs::create_hard_link(entry->path(), target, ec);
            if (ec) { // another file system, or one without links
                ec.clear();
                fs::copy_file(entry->path(), target, ec);
            }
        }
        if (ec) break;
    }
    if (ec) throw DiskError(fmt::format("cannot copy checkpoint {} to {}: {}", from.string(), to.string(), ec.message()));
    commit(to);
}

void FileCheckpointStorage::remove(const fs::path &checkpoint) {
    std::error_code ec;
    fs::remove_all(checkpoint, ec);
    if (ec) spdlog::warn("cannot delete old checkpoint {}: {}", checkpoint.string(), ec.message());
}

bool FileCheckpointStorage::exists(const fs::path &checkpoint) const {
    std::error_code ec;
    return fs::is_directory(checkpoint, ec);
}

void FileCheckpointStorage::remove_unlisted(const fs::path &trial_dir, const std::vector<fs::path> &keep) {
    std::error_code ec;
    if (!fs::is_directory(trial_dir, ec)) return;
    for (const auto &entry : fs::directory_iterator(trial_dir, ec)) {
        if (entry.path().filename().string().rfind("checkpoint_", 0) != 0) continue;
        if (std::find(keep.begin(), keep.end(), entry.path()) == keep.end()) fs::remove_all(entry.path(), ec);
    }
}

} // namespace tune::core
