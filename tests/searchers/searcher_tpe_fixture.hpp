// Helpers for the org.tune.searcher.tpe tests: its settings, a driver that plays the engine
// (suggest, report, complete) through the real plugin ABI, and, for the tests that check the
// estimator's numbers below the ABI, the plugin's components compiled into the test (define
// TUNE_TPE_COMPONENTS before including this header).
#pragma once

#include <cmath>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "searchers/searcher_test_support.hpp"

namespace tune::tpe_test {

using namespace tune::searcher_test;

inline const SearcherPlugin tpe_searcher{"tune_tpe_searcher.so", "org.tune.searcher.tpe"};

// The settings of a TPE searcher minimising "loss" (or maximising, mode "max").
inline json tpe_settings(const json &space, long long num_samples, std::uint64_t seed,
                         const json &options = json::object(), const std::string &mode = "min") {
    json s = settings(space, num_samples, seed, options);
    s["mode"] = mode;
    return s;
}

inline std::unique_ptr<core::SearcherAdapter> make_tpe(const json &searcher_settings) {
    return set_up(tpe_searcher, searcher_settings);
}

// The config of trial id, which must be one.
inline json suggest_config(core::SearcherAdapter &searcher, const std::string &id) {
    const core::SuggestResult result = searcher.suggest(id);
    REQUIRE(result.outcome == TUNE_SUGGEST_CONFIG);
    return json::parse(result.config_json);
}

// A finished trial's last result: the metric, the iteration, done.
inline std::string final_result(double loss, long long iteration = 1, bool done = true) {
    return json{{"loss", loss}, {"training_iteration", iteration}, {"done", done}}.dump();
}

// Plays the engine for a searcher one trial at a time: suggest, then complete with
// objective(config). Returns the configs and their losses, in order.
struct Played {
    std::vector<json> configs;
    std::vector<double> losses;
    double best() const {
        double best = INFINITY;
        for (double loss : losses) best = std::min(best, loss);
        return best;
    }
};

inline Played play(core::SearcherAdapter &searcher, int trials, const std::function<double(const json &)> &objective,
                   const std::string &prefix = "t") {
    Played played;
    for (int i = 0; i < trials; ++i) {
        const std::string id = prefix + std::to_string(i);
        const core::SuggestResult result = searcher.suggest(id);
        if (result.outcome != TUNE_SUGGEST_CONFIG) break;
        json config = json::parse(result.config_json);
        const double loss = objective(config);
        searcher.on_result(id, final_result(loss));
        searcher.on_complete(id, final_result(loss), false);
        played.configs.push_back(std::move(config));
        played.losses.push_back(loss);
    }
    return played;
}

} // namespace tune::tpe_test

#ifdef TUNE_TPE_COMPONENTS
// The plugin's components, compiled into this test to check them below the ABI.
#include "../../plugins/tpe_searcher/parzen_estimator.cpp"
#include "../../plugins/tpe_searcher/tpe_history.cpp"
#include "../../plugins/tpe_searcher/tpe_options.cpp"
#include "../../plugins/tpe_searcher/tpe_searcher.cpp"
#include "../../plugins/tpe_searcher/tpe_space.cpp"
#include "../../plugins/tpe_searcher/truncated_normal.cpp"
#endif
