// One loaded plugin library: its entry, its descriptors, and instance creation.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/dll/shared_library.hpp>

#include "core/plugin/plugin_error.hpp"
#include "tune/entry.h"

namespace tune::core {

// The dynamic loader refused a file that looks like a shared library (a missing dependency,
// an unresolved symbol, another architecture). Unlike the other load errors it may go away
// without the file changing (a dependency installed), so the descriptor cache keeps no copy.
class PluginLoadError : public PluginError {
public:
    using PluginError::PluginError;
};

class PluginInstance;

// What a descriptor says about one plugin, copied out of the library.
struct PluginInfo {
    std::string id;
    tune_plugin_kind_t kind = TUNE_KIND_TRAINABLE;
    std::string version;
    std::string description;
    std::filesystem::path file;
    // The descriptor's example_config (ABI 1.6) as the plugin wrote it, unchecked; empty when
    // it has none. tune check-plugin parses and checks it.
    std::string example_config;
};

// Owns a loaded shared library. Instances created from it hold a shared_ptr to it, so the
// library stays loaded while any instance lives. Not thread-safe; load and create on one
// thread.
class PluginLibrary : public std::enable_shared_from_this<PluginLibrary> {
public:
    // Loads file, checks its entry and ABI version, calls init and reads the descriptors.
    // Throws PluginError naming the file for every failure (PluginLoadError when the dynamic
    // loader refused it, with the loader's own message).
    static std::shared_ptr<PluginLibrary> load(const std::filesystem::path &file);

    ~PluginLibrary();
    PluginLibrary(const PluginLibrary &) = delete;
    PluginLibrary &operator=(const PluginLibrary &) = delete;

    const std::filesystem::path &file() const { return file_; }
    const tune_abi_version_t &abi_version() const { return entry_->abi_version; }
    const std::vector<PluginInfo> &plugins() const { return plugins_; }
    const PluginInfo *find(std::string_view id) const;

    // Creates an instance of plugin id. host must outlive the instance.
    // Throws PluginError if the id is not in this library or the plugin fails to create.
    std::unique_ptr<PluginInstance> create(std::string_view id, const tune_host_t *host);

private:
    PluginLibrary(std::filesystem::path file, boost::dll::shared_library library);

    std::filesystem::path file_;
    boost::dll::shared_library library_;
    const tune_plugin_entry_t *entry_ = nullptr;
    std::vector<PluginInfo> plugins_;
    bool initialized_ = false;
};

// What the dynamic loader (dlerror) says when it refuses file, e.g. "FILE: file too short".
// Boost.DLL reports every dlopen failure as "Bad file descriptor" and clears dlerror, so after
// a failed load this asks the loader again for its own words.
std::string dlopen_error(const std::filesystem::path &file);

// True if the file starts with the ELF magic, so "not a shared library" can be told apart
// from "a shared library that failed to load" (missing dependency, wrong architecture).
bool looks_like_elf(const std::filesystem::path &file);

} // namespace tune::core
