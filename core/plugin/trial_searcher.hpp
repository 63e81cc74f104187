// What the controller asks of a searcher: a plugin instance (SearcherAdapter), or a wrapper
// around one (core/engine/searcher_wrappers.hpp: Ray Tune's ConcurrencyLimiter and Repeater).
#pragma once

#include <optional>
#include <string>

#include "tune/searcher.h"

namespace tune::core {

struct SuggestResult {
    tune_suggest_outcome_t outcome = TUNE_SUGGEST_FINISHED;
    std::string config_json; // set when outcome is TUNE_SUGGEST_CONFIG
};

// Every call may throw PluginCallError (the plugin failed). Not thread-safe.
class TrialSearcher {
public:
    virtual ~TrialSearcher() = default;

    virtual const std::string &plugin_id() const = 0; // the plugin that searches, saved with the state
    virtual SuggestResult suggest(const std::string &trial_id) = 0;
    virtual void on_result(const std::string &trial_id, const std::string &result_json) = 0;
    virtual void on_complete(const std::string &trial_id, const std::optional<std::string> &result_json,
                             bool failed) = 0;
    virtual std::string save() = 0; // any bytes
    virtual void restore(const std::string &state) = 0;
};

} // namespace tune::core
