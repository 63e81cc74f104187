#include "core/plugin/descriptor_cache.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace tune::core {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char *kCacheFormat = "tune-plugin-cache/1";
constexpr const char *kCacheFileName = "plugin-descriptors.json";

// What else decides a description besides the file: the host's version and ABI (its checks).
std::string host_stamp() {
    return fmt::format("tune {} ABI {}.{}", TUNE_VERSION, TUNE_ABI_VERSION_MAJOR, TUNE_ABI_VERSION_MINOR);
}

json identity_to_json(const LibraryIdentity &identity) {
    return {{"path", identity.path}, {"device", identity.device}, {"inode", identity.inode},
            {"size", identity.size}, {"mtime_ns", identity.mtime_ns}};
}

LibraryIdentity identity_from_json(const json &in) {
    LibraryIdentity identity;
    identity.path = in.at("path").get<std::string>();
    identity.device = in.at("device").get<std::uint64_t>();
    identity.inode = in.at("inode").get<std::uint64_t>();
    identity.size = in.at("size").get<std::uint64_t>();
    identity.mtime_ns = in.at("mtime_ns").get<std::int64_t>();
    return identity;
}

} // namespace

bool LibraryIdentity::operator==(const LibraryIdentity &other) const {
    return path == other.path && device == other.device && inode == other.inode && size == other.size &&
           mtime_ns == other.mtime_ns;
}

std::optional<LibraryIdentity> library_identity(const fs::path &file) {
    std::error_code ec;
    fs::path absolute = fs::absolute(file, ec);
    if (ec) return std::nullopt;
    struct stat info {};
    if (::stat(absolute.c_str(), &info) != 0) return std::nullopt; // follows links: the file itself
    LibraryIdentity identity;
    identity.path = absolute.lexically_normal().string();
    identity.device = static_cast<std::uint64_t>(info.st_dev);
    identity.inode = static_cast<std::uint64_t>(info.st_ino);
    identity.size = static_cast<std::uint64_t>(info.st_size);
    identity.mtime_ns = static_cast<std::int64_t>(info.st_mtim.tv_sec) * 1'000'000'000 + info.st_mtim.tv_nsec;
    return identity;
}

fs::path default_cache_dir() {
    if (const char *dir = std::getenv(kCacheDirEnv); dir && *dir) return dir;
    if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg && fs::path(xdg).is_absolute())
        return fs::path(xdg) / "tune";
    if (const char *home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "tune";
    return {};
}

DescriptorCache::DescriptorCache(fs::path dir) {
    if (dir.empty()) return;
    file_ = dir / kCacheFileName;
    read();
}

void DescriptorCache::read() {
    std::ifstream in(file_, std::ios::binary);
    if (!in) {
        spdlog::debug("plugin descriptor cache {}: not read ({})", file_.string(), std::strerror(errno));
        return;
    }
    try {
        const json document = json::parse(in);
        if (document.at("format") != kCacheFormat || document.at("host") != host_stamp()) {
            spdlog::debug("plugin descriptor cache {}: written by another tune, ignored", file_.string());
            return;
        }
        for (const auto &entry : document.at("libraries")) {
            Entry read_entry{identity_from_json(entry.at("identity")), entry.at("description")};
            description_from_json(read_entry.description); // refuse a malformed entry now
            entries_[read_entry.identity.path] = std::move(read_entry);
        }
    } catch (const std::exception &e) {
        entries_.clear();
        changed_ = true; // rewrite it whole at the next save
        spdlog::debug("plugin descriptor cache {}: ignored, it is corrupt: {}", file_.string(), e.what());
    }
}

std::optional<LibraryDescription> DescriptorCache::find(const LibraryIdentity &identity) const {
    auto it = entries_.find(identity.path);
    if (it == entries_.end() || !(it->second.identity == identity)) return std::nullopt;
    try {
        return description_from_json(it->second.description);
    } catch (const std::exception &) {
        return std::nullopt; // checked when read; unreachable
    }
}

void DescriptorCache::store(const LibraryIdentity &identity, const LibraryDescription &description) {
    entries_[identity.path] = Entry{identity, description_to_json(description)};
    changed_ = true;
}

void DescriptorCache::save() {
    if (file_.empty() || !changed_) return;
    json libraries = json::array();
    for (const auto &[path, entry] : entries_) {
        std::error_code ec;
        if (!fs::exists(path, ec)) continue; // a library removed since
        libraries.push_back({{"identity", identity_to_json(entry.identity)}, {"description", entry.description}});
    }
    const json document{{"format", kCacheFormat}, {"host", host_stamp()}, {"libraries", std::move(libraries)}};
    const fs::path temporary = file_.string() + fmt::format(".tmp.{}", ::getpid());
    std::error_code ec;
    fs::create_directories(file_.parent_path(), ec);
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << document.dump() << "\n";
        out.close();
        if (!out) {
            spdlog::debug("plugin descriptor cache {}: cannot write {}", file_.string(), temporary.string());
            fs::remove(temporary, ec);
            return;
        }
    }
    fs::rename(temporary, file_, ec);
    if (ec) {
        spdlog::debug("plugin descriptor cache {}: cannot replace it: {}", file_.string(), ec.message());
        fs::remove(temporary, ec);
        return;
    }
    changed_ = false;
}

LibraryDescription CachingDescriber::describe(const fs::path &file) {
    const auto identity = library_identity(file);
    if (!identity) return inner_.describe(file); // the describer reports the unreadable file
    if (auto cached = cache_.find(*identity)) {
        // Shown as this search path names it, whatever path it was cached under.
        cached->file = file;
        for (auto &info : cached->plugins) info.file = file;
        return *cached;
    }
    LibraryDescription description = inner_.describe(file);
    if (description.cacheable()) cache_.store(*identity, description);
    return description;
}

} // namespace tune::core
