// Helpers shared by the searcher plugin tests: loading a searcher through the real plugin ABI,
// building its settings, and draining its suggestions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/plugin/host_services.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/plugin/plugin_instance.hpp"
#include "core/plugin/plugin_library.hpp"
#include "core/plugin/searcher_adapter.hpp"
#include "support/test_paths.hpp"

namespace tune::searcher_test {

using nlohmann::json;

struct SearcherPlugin {
    std::string file; // in the build's plugin folder
    std::string id;
};

inline const SearcherPlugin random_searcher{"tune_random_searcher.so", "org.tune.searcher.random"};
inline const SearcherPlugin grid_searcher{"tune_grid_searcher.so", "org.tune.searcher.grid"};

inline std::unique_ptr<core::SearcherAdapter> load(const SearcherPlugin &plugin) {
    auto library = core::PluginLibrary::load(test::plugin_dir() / plugin.file);
    return std::make_unique<core::SearcherAdapter>(library->create(plugin.id, core::host_services()));
}

inline json settings(const json &space, long long num_samples = 4, std::uint64_t seed = 1,
                     const json &options = json::object()) {
    return {{"metric", "loss"}, {"mode", "min"},   {"seed", seed},
            {"num_samples", num_samples}, {"space", space}, {"options", options}};
}

inline std::unique_ptr<core::SearcherAdapter> set_up(const SearcherPlugin &plugin, const json &searcher_settings) {
    auto searcher = load(plugin);
    searcher->setup(searcher_settings.dump());
    return searcher;
}

// Suggests until the searcher finishes (at most limit configs) and returns the configs.
inline std::vector<json> drain(core::SearcherAdapter &searcher, std::size_t limit = 10000) {
    std::vector<json> configs;
    for (std::size_t trial = 0; trial < limit; ++trial) {
        const core::SuggestResult result = searcher.suggest("trial_" + std::to_string(trial));
        if (result.outcome == TUNE_SUGGEST_FINISHED) return configs;
        REQUIRE(result.outcome == TUNE_SUGGEST_CONFIG);
        configs.push_back(json::parse(result.config_json));
    }
    FAIL("the searcher did not finish within " << limit << " suggestions");
    return configs;
}

// The plugin's own part of a PluginCallError message, after "... failed [status]: ".
inline std::string plugin_message(const core::PluginCallError &error) {
    const std::string message = error.what();
    const auto start = message.find("]: ");
    return start == std::string::npos ? message : message.substr(start + 3);
}

} // namespace tune::searcher_test
