// Reading an experiment file (TOML, docs/experiment-file.md) into a validated Experiment.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/config/config_error.hpp"
#include "core/config/experiment.hpp"
#include "core/plugin/plugin_registry.hpp"

namespace tune::core {

// Reads and validates an experiment file. overrides are "key.path=value" strings from --set
// (the value parsed as a TOML value: 10, 0.5, true, "text", [1,2], {a=1}; a bare word that is
// not valid TOML is taken as a string), applied in order over the file.
//
// Collects every issue it can find (unknown keys and sections, wrong types, values out of
// range, missing required keys, search-space errors) and throws ConfigError listing them.
//
// If registry is non-null it also resolves the plugin names (by kind) into full ids, stored in
// the Experiment, and validates the searcher's and scheduler's options by creating each plugin
// and calling setup() with searcher_settings()/scheduler_settings(); a plugin's error becomes
// an issue located at that section's options table (or its plugin key).
Experiment load_experiment(const std::filesystem::path &file, const std::vector<std::string> &overrides,
                           const PluginRegistry *registry);

// The same, asking registry_source for the registry only once the file has parsed (a file
// with a TOML syntax error is answered without scanning any plugin). It may return null (no
// plugin checks); what it throws (a duplicate plugin id) passes through.
using RegistrySource = std::function<const PluginRegistry *()>;
Experiment load_experiment_with_registry_source(const std::filesystem::path &file,
                                                const std::vector<std::string> &overrides,
                                                const RegistrySource &registry_source);

} // namespace tune::core
