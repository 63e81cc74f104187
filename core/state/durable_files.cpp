#include "core/state/durable_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace tune::core {

namespace fs = std::filesystem;

namespace {

void sync_path(const fs::path &path, int flags) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + path.string() + " to sync it: " + std::strerror(errno));
    const bool synced = ::fsync(fd) == 0;
    const int error = errno;
    ::close(fd);
    if (!synced) throw std::runtime_error("cannot sync " + path.string() + " to disk: " + std::strerror(error));
}

} // namespace

void sync_folder_tree(const fs::path &dir) {
    for (const auto &entry : fs::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file()) sync_path(entry.path(), O_RDONLY);
        else if (entry.is_directory()) sync_path(entry.path(), O_RDONLY | O_DIRECTORY);
    }
    sync_path(dir, O_RDONLY | O_DIRECTORY);
}

void sync_folder(const fs::path &dir) {
    int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

} // namespace tune::core
