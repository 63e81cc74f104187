#include "core/plugin/plugin_registry.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/plugin/abi_values.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/plugin/plugin_instance.hpp"

namespace tune::core {
namespace fs = std::filesystem;

namespace {

std::vector<fs::path> library_files(const fs::path &entry, std::vector<std::string> &warnings) {
    std::vector<fs::path> files;
    std::error_code ec;
    if (fs::is_directory(entry, ec)) {
        for (const auto &item : fs::directory_iterator(entry, ec))
            if (item.path().extension() == ".so" && item.is_regular_file(ec)) files.push_back(item.path());
        if (ec) warnings.push_back(fmt::format("cannot list plugin folder {}: {}", entry.string(), ec.message()));
        std::sort(files.begin(), files.end()); // stable order, whatever the file system says
    } else if (fs::exists(entry, ec)) {
        files.push_back(entry);
    }
    // A missing folder on the path is normal (e.g. the default folder before install); the
    // CLI refuses a --plugin-path the user named that does not exist.
    return files;
}

std::string_view last_component(std::string_view id) {
    auto dot = id.rfind('.');
    return dot == std::string_view::npos ? id : id.substr(dot + 1);
}

} // namespace

const PluginInfo *PluginRegistry::Library::find(std::string_view id) const {
    for (const auto &info : plugins)
        if (info.id == id) return &info;
    return nullptr;
}

PluginRegistry PluginRegistry::scan(const std::vector<fs::path> &search_path, std::vector<std::string> &warnings,
                                    LibraryDescriber &describer) {
    PluginRegistry registry;
    registry.searched_ = search_path;
    std::vector<fs::path> seen;
    for (const auto &entry : search_path) {
        for (const auto &file : library_files(entry, warnings)) {
            std::error_code ec;
            fs::path canonical = fs::weakly_canonical(file, ec);
            if (std::find(seen.begin(), seen.end(), canonical) != seen.end()) continue;
            seen.push_back(canonical);
            LibraryDescription description = describer.describe(file);
            if (!description.ok()) {
                warnings.push_back(description.error);
                continue;
            }
            registry.add(std::move(description)); // a duplicate id across libraries is an error
        }
    }
    return registry;
}

PluginRegistry PluginRegistry::scan(const std::vector<fs::path> &search_path, std::vector<std::string> &warnings) {
    InProcessDescriber describer;
    return scan(search_path, warnings, describer);
}

void PluginRegistry::add(LibraryDescription description) {
    if (!description.ok()) throw PluginError(description.error);
    add_library({description.file, std::move(description.plugins), std::move(description.loaded)});
}

void PluginRegistry::add(std::shared_ptr<PluginLibrary> library) {
    add_library({library->file(), library->plugins(), library});
}

void PluginRegistry::add_library(Library library) {
    for (const auto &info : library.plugins)
        for (const auto &existing : libraries_)
            if (const PluginInfo *other = existing.find(info.id))
                throw PluginError(fmt::format("duplicate plugin id '{}': found in {} and in {}; remove one "
                                              "of them from the plugin search path",
                                              info.id, other->file.string(), info.file.string()));
    libraries_.push_back(std::move(library));
}

std::vector<PluginInfo> PluginRegistry::plugins() const {
    std::vector<PluginInfo> all;
    for (const auto &library : libraries_) all.insert(all.end(), library.plugins.begin(), library.plugins.end());
    std::sort(all.begin(), all.end(), [](const PluginInfo &a, const PluginInfo &b) { return a.id < b.id; });
    return all;
}

const PluginInfo &PluginRegistry::resolve(std::string_view name, std::optional<tune_plugin_kind_t> kind) const {
    std::vector<const PluginInfo *> by_short_name;
    for (const auto &library : libraries_) {
        for (const auto &info : library.plugins) {
            if (kind && info.kind != *kind) continue;
            if (info.id == name) return info;
            if (last_component(info.id) == name) by_short_name.push_back(&info);
        }
    }
    if (by_short_name.size() == 1) return *by_short_name.front();

    std::vector<std::string> known;
    for (const auto &info : plugins())
        if (!kind || info.kind == *kind) known.push_back(info.id);
    std::string what = kind ? fmt::format("{} plugin", kind_name(*kind)) : std::string("plugin");
    if (by_short_name.size() > 1) {
        std::vector<std::string> ids;
        for (const auto *info : by_short_name) ids.push_back(info->id);
        throw PluginError(fmt::format("{} name '{}' is ambiguous: it matches {}; use the full id", what, name,
                                      fmt::join(ids, ", ")));
    }
    std::vector<std::string> searched;
    for (const auto &dir : searched_) searched.push_back(dir.string());
    throw PluginError(fmt::format("unknown {} id '{}'; known: {} (searched: {})", what, name,
                                  known.empty() ? std::string("none") : fmt::format("{}", fmt::join(known, ", ")),
                                  searched.empty() ? std::string("nothing") : fmt::format("{}", fmt::join(searched, ":"))));
}

std::unique_ptr<PluginInstance> PluginRegistry::create(std::string_view name, const tune_host_t *host,
                                                       std::optional<tune_plugin_kind_t> kind) const {
    const PluginInfo &info = resolve(name, kind);
    for (const auto &library : libraries_) {
        if (!library.find(info.id)) continue;
        // Loaded here, at the first create: PluginLibrary::load checks it again (the file may
        // have changed since it was described) and create names the file if the id is gone.
        if (!library.loaded) library.loaded = PluginLibrary::load(library.file);
        return library.loaded->create(info.id, host);
    }
    throw PluginError(fmt::format("plugin '{}' vanished from the registry", info.id)); // unreachable
}

std::vector<fs::path> PluginRegistry::loaded_libraries() const {
    std::vector<fs::path> files;
    for (const auto &library : libraries_)
        if (library.loaded) files.push_back(library.file);
    return files;
}

} // namespace tune::core
