// The set of plugins the host can use, found along the search path.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/plugin/library_describer.hpp"
#include "core/plugin/plugin_library.hpp"

namespace tune::core {

// Knows every plugin by its library's description and loads a library into this process
// only when one of its plugins is created (searchers and schedulers; trainables are created
// in tune-worker, so their libraries are never loaded by a host that only resolves them).
// Not thread-safe: create loads on first use.
class PluginRegistry {
public:
    // Describes every *.so in each folder of search_path (and each file named directly) with
    // describer. A library that cannot be used is skipped and its error appended to warnings,
    // so one broken file does not hide the rest. Throws PluginError on a duplicate plugin id.
    static PluginRegistry scan(const std::vector<std::filesystem::path> &search_path,
                               std::vector<std::string> &warnings, LibraryDescriber &describer);
    // The same, loading every library into this process (InProcessDescriber).
    static PluginRegistry scan(const std::vector<std::filesystem::path> &search_path,
                               std::vector<std::string> &warnings);

    // Adds a library by its description (loaded later, at its first create) or an already
    // loaded one. Throws PluginError if one of its ids is already registered, naming both
    // files, or if the description is an error.
    void add(LibraryDescription description);
    void add(std::shared_ptr<PluginLibrary> library);

    // Every plugin, sorted by id.
    std::vector<PluginInfo> plugins() const;

    // Finds a plugin by exact id, or by its last dot-separated component when that is
    // unambiguous ("asha" for "org.tune.scheduler.asha"). If kind is given, only plugins of
    // that kind match. Throws PluginError listing the known ids when nothing matches.
    const PluginInfo &resolve(std::string_view name, std::optional<tune_plugin_kind_t> kind = std::nullopt) const;

    // Creates an instance of the plugin `name` resolves to, loading its library into this
    // process first if it is not yet. Throws PluginError if the library no longer loads or
    // no longer has the plugin (the file changed since it was described).
    std::unique_ptr<PluginInstance> create(std::string_view name, const tune_host_t *host,
                                           std::optional<tune_plugin_kind_t> kind = std::nullopt) const;

    // The library files loaded into this process so far (tests: a trainable's never is).
    std::vector<std::filesystem::path> loaded_libraries() const;

    const std::vector<std::filesystem::path> &searched() const { return searched_; }

private:
    struct Library {
        std::filesystem::path file;
        std::vector<PluginInfo> plugins;
        mutable std::shared_ptr<PluginLibrary> loaded; // null until a create needs it
        const PluginInfo *find(std::string_view id) const;
    };
    void add_library(Library library);

    std::vector<Library> libraries_;
    std::vector<std::filesystem::path> searched_;
};

} // namespace tune::core
