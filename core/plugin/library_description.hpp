// What the host knows of one plugin library without holding it loaded: its ABI version and
// descriptors, or why it cannot be used. tune-worker --describe prints one as JSON, the
// descriptor cache stores them, and the registry is built from them.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/plugin/plugin_library.hpp"

namespace tune::core {

struct LibraryDescription {
    // Why an error happened decides whether it may be cached: the file's own content is
    // broken (it stays broken until the file changes), or the loader refused it for a
    // reason outside the file (a missing dependency) or it ran past the time limit.
    enum class ErrorKind { none, file, environment };

    std::filesystem::path file;
    tune_abi_version_t abi_version{};
    std::vector<PluginInfo> plugins; // each with file set to `file`
    std::string error;               // empty when the library is usable
    ErrorKind error_kind = ErrorKind::none;
    // Set when the description came from loading the library into this process (the
    // in-process describer); the registry then uses it instead of loading it again.
    std::shared_ptr<PluginLibrary> loaded;

    bool ok() const { return error.empty(); }
    // True if the same file would be described the same way next time (cache it).
    bool cacheable() const { return ok() || error_kind == ErrorKind::file; }

    static LibraryDescription failure(std::filesystem::path file, std::string error, ErrorKind kind);
};

// Loads file into this process and describes it. Never throws: a PluginError becomes the
// description's error. The library stays loaded through `loaded`.
LibraryDescription describe_in_process(const std::filesystem::path &file);

// The JSON form (what tune-worker --describe prints, and the cache stores):
//   {"format": "tune-describe/1", "file": ..., "abi_version": {"major", "minor", "patch"},
//    "plugins": [{"id", "kind" (the ABI integer), "version", "description",
//                 "example_config" (the descriptor's JSON text, only where it has one)}]}
//   {"format": "tune-describe/1", "file": ..., "error": ..., "error_kind": "file"|"environment"}
nlohmann::json description_to_json(const LibraryDescription &description);

// Reads the JSON form back. Throws std::runtime_error saying what is wrong with it (a field
// missing or of the wrong type, a kind the host does not know), so that garbage from a
// child or a cache is never trusted.
LibraryDescription description_from_json(const nlohmann::json &json);

} // namespace tune::core
