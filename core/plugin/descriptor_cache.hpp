// The descriptor cache: what each plugin library said about itself, keyed by the file's
// identity, so that a warm `tune plugins` or `tune validate` starts no describing child.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "core/plugin/library_describer.hpp"

namespace tune::core {

// Overrides where the cache lives (a folder); tests point it at a temporary one.
inline constexpr const char *kCacheDirEnv = "TUNE_CACHE_DIR";

// Which file, exactly: a file replaced, rewritten or touched gets another identity.
struct LibraryIdentity {
    std::string path; // absolute
    std::uint64_t device = 0;
    std::uint64_t inode = 0;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;

    bool operator==(const LibraryIdentity &other) const;
};

// The identity of file now (stat), or nullopt if it cannot be read.
std::optional<LibraryIdentity> library_identity(const std::filesystem::path &file);

// $TUNE_CACHE_DIR, else $XDG_CACHE_HOME/tune, else $HOME/.cache/tune; empty if none is set.
std::filesystem::path default_cache_dir();

// The cache file's contents in memory. A missing, unreadable, corrupt or foreign (another
// tune version) file reads as empty, with a debug log only: the cache is never an error.
class DescriptorCache {
public:
    // The cache file is dir/plugin-descriptors.json; an empty dir keeps the cache in memory.
    explicit DescriptorCache(std::filesystem::path dir);

    const std::filesystem::path &file() const { return file_; }

    std::optional<LibraryDescription> find(const LibraryIdentity &identity) const;
    void store(const LibraryIdentity &identity, const LibraryDescription &description);

    // Writes the file if anything changed: a temporary file beside it, renamed over it, so a
    // concurrent reader sees the old or the new file, never a part. Entries of files that no
    // longer exist are dropped. Failures are logged at debug level only.
    void save();

private:
    struct Entry {
        LibraryIdentity identity;
        nlohmann::json description;
    };
    void read();

    std::filesystem::path file_;
    std::map<std::string, Entry> entries_; // by absolute path
    bool changed_ = false;
};

// Answers from the cache when the file's identity matches, else asks `inner` and stores
// what it said when that is worth keeping (LibraryDescription::cacheable).
class CachingDescriber final : public LibraryDescriber {
public:
    CachingDescriber(DescriptorCache &cache, LibraryDescriber &inner) : cache_(cache), inner_(inner) {}
    LibraryDescription describe(const std::filesystem::path &file) override;

private:
    DescriptorCache &cache_;
    LibraryDescriber &inner_;
};

} // namespace tune::core
