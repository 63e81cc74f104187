#include "core/plugin/library_description.hpp"

#include <stdexcept>

#include <fmt/format.h>

#include "core/plugin/abi_values.hpp"
#include "core/plugin/plugin_error.hpp"

namespace tune::core {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr const char *kFormat = "tune-describe/1";

const char *error_kind_name(LibraryDescription::ErrorKind kind) {
    return kind == LibraryDescription::ErrorKind::file ? "file" : "environment";
}

template <class T>
T field(const json &object, const char *name, const char *where) {
    auto it = object.find(name);
    if (it == object.end()) throw std::runtime_error(fmt::format("{} has no \"{}\"", where, name));
    try {
        return it->get<T>();
    } catch (const json::exception &) {
        throw std::runtime_error(fmt::format("{}: \"{}\" has the wrong type ({})", where, name, it->type_name()));
    }
}

} // namespace

LibraryDescription LibraryDescription::failure(fs::path file, std::string error, ErrorKind kind) {
    LibraryDescription description;
    description.file = std::move(file);
    description.error = std::move(error);
    description.error_kind = kind;
    return description;
}

LibraryDescription describe_in_process(const fs::path &file) {
    LibraryDescription description;
    description.file = file;
    try {
        description.loaded = PluginLibrary::load(file);
    } catch (const PluginLoadError &e) {
        return LibraryDescription::failure(file, e.what(), LibraryDescription::ErrorKind::environment);
    } catch (const PluginError &e) {
        return LibraryDescription::failure(file, e.what(), LibraryDescription::ErrorKind::file);
    }
    description.abi_version = description.loaded->abi_version();
    description.plugins = description.loaded->plugins();
    return description;
}

json description_to_json(const LibraryDescription &description) {
    json out{{"format", kFormat}, {"file", description.file.string()}};
    if (!description.ok()) {
        out["error"] = description.error;
        out["error_kind"] = error_kind_name(description.error_kind);
        return out;
    }
    out["abi_version"] = {{"major", description.abi_version.major}, {"minor", description.abi_version.minor},
                             {"patch", description.abi_version.patch}};
    auto plugins = json::array();
    for (const auto &info : description.plugins) {
        json plugin{{"id", info.id},
                    {"kind", static_cast<std::int32_t>(info.kind)},
                    {"version", info.version},
                    {"description", info.description}};
        if (!info.example_config.empty()) plugin["example_config"] = info.example_config;
        plugins.push_back(std::move(plugin));
    }
    out["plugins"] = std::move(plugins);
    return out;
}

LibraryDescription description_from_json(const json &in) {
    if (!in.is_object()) throw std::runtime_error(fmt::format("a description is a JSON object, not {}", in.type_name()));
    if (field<std::string>(in, "format", "description") != kFormat)
        throw std::runtime_error(fmt::format("unknown description format (expected \"{}\")", kFormat));
    LibraryDescription description;
    description.file = field<std::string>(in, "file", "description");
    if (in.contains("error")) {
        auto kind = field<std::string>(in, "error_kind", "description");
        if (kind != "file" && kind != "environment")
            throw std::runtime_error(fmt::format("description: unknown error_kind \"{}\"", kind));
        description.error = field<std::string>(in, "error", "description");
        if (description.error.empty()) throw std::runtime_error("description: \"error\" is empty");
        description.error_kind =
            kind == "file" ? LibraryDescription::ErrorKind::file : LibraryDescription::ErrorKind::environment;
        return description;
    }
    const json version = field<json>(in, "abi_version", "description");
    description.abi_version.major = field<std::uint32_t>(version, "major", "abi_version");
    description.abi_version.minor = field<std::uint32_t>(version, "minor", "abi_version");
    description.abi_version.patch = field<std::uint32_t>(version, "patch", "abi_version");
    const json plugins = field<json>(in, "plugins", "description");
    if (!plugins.is_array()) throw std::runtime_error("description: \"plugins\" is not an array");
    for (const auto &entry : plugins) {
        PluginInfo info;
        info.id = field<std::string>(entry, "id", "plugin");
        const auto kind = field<std::int32_t>(entry, "kind", "plugin");
        if (info.id.empty()) throw std::runtime_error("description: a plugin has an empty id");
        if (!plugin_kinds().contains(kind))
            throw std::runtime_error(fmt::format("description: plugin '{}' has {}", info.id, plugin_kinds().unexpected(kind)));
        info.kind = static_cast<tune_plugin_kind_t>(kind);
        info.version = field<std::string>(entry, "version", "plugin");
        info.description = field<std::string>(entry, "description", "plugin");
        if (entry.contains("example_config")) info.example_config = field<std::string>(entry, "example_config", "plugin");
        info.file = description.file;
        description.plugins.push_back(std::move(info));
    }
    return description;
}

} // namespace tune::core
