// The set of plugins the host can use, found along the search path.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/plugin/plugin_library.hpp"

namespace tune::core {

class PluginRegistry {
public:
    // Loads every *.so in each folder of search_path (and each file named directly).
    // A library that fails to load is skipped and its error appended to warnings, so one
    // broken file does not hide the rest. Throws PluginError on a duplicate plugin id.
    static PluginRegistry scan(const std::vector<std::filesystem::path> &search_path,
                               std::vector<std::string> &warnings);

    // Adds a loaded library. Throws PluginError if one of its ids is already registered,
    // naming both files.
    void add(std::shared_ptr<PluginLibrary> library);

    // Every plugin, sorted by id.
    std::vector<PluginInfo> plugins() const;

    // Finds a plugin by exact id, or by its last dot-separated component when that is
    // unambiguous ("asha" for "org.tune.scheduler.asha"). If kind is given, only plugins of
    // that kind match. Throws PluginError listing the known ids when nothing matches.
    const PluginInfo &resolve(std::string_view name, std::optional<tune_plugin_kind_t> kind = std::nullopt) const;

    // Creates an instance of the plugin `name` resolves to.
    std::unique_ptr<PluginInstance> create(std::string_view name, const tune_host_t *host,
                                           std::optional<tune_plugin_kind_t> kind = std::nullopt) const;

    const std::vector<std::filesystem::path> &searched() const { return searched_; }

private:
    std::vector<std::shared_ptr<PluginLibrary>> libraries_;
    std::vector<std::filesystem::path> searched_;
};

} // namespace tune::core
