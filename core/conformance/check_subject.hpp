// What a conformance check exercises: one library, one plugin in it, and the options of
// `tune check-plugin`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tune/entry.h"

namespace tune::conformance {

struct CheckOptions {
    // --config: a trainable's config, or a searcher's or scheduler's settings. When absent,
    // each plugin's example config (ABI 1.6) is used, or default_config(kind) without one.
    std::optional<nlohmann::json> config;
    std::string metric;                   // --metric: the trainable's metric (default: first numeric key)
    int steps = 3;                        // --steps: trainable steps per run
    std::vector<std::string> ignore_keys; // --ignore-key: result keys that may differ between runs
    double timeout_s = 60;                // --timeout: per check
    // Config keys the trainable passes on without judging their types (--command: the
    // program's config, which a command trainable hands to the program as text).
    std::vector<std::string> pass_through_keys;
};

struct CheckSubject {
    std::filesystem::path library;
    std::string plugin_id;
    tune_plugin_kind_t kind = TUNE_KIND_TRAINABLE;
    nlohmann::json config;         // options.config, the plugin's example or the kind's default
    const CheckOptions *options = nullptr;
    std::filesystem::path scratch; // an empty folder the check may write into
};

// The settings a searcher or scheduler is checked with when neither --config nor the plugin's
// example config gives them, and `{}` for a trainable.
nlohmann::json default_config(tune_plugin_kind_t kind);

} // namespace tune::conformance
