// The host's C++ view of a searcher plugin instance ("tune.searcher/1").
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/plugin/plugin_instance.hpp"
#include "tune/searcher.h"

namespace tune::core {

struct SuggestResult {
    tune_suggest_outcome_t outcome = TUNE_SUGGEST_FINISHED;
    std::string config_json; // set when outcome is TUNE_SUGGEST_CONFIG
};

// Every call throws PluginCallError if the plugin fails. Not thread-safe.
class SearcherAdapter {
public:
    explicit SearcherAdapter(std::unique_ptr<PluginInstance> instance);

    const PluginInfo &info() const { return instance_->info(); }

    void setup(const std::string &settings_json);
    SuggestResult suggest(const std::string &trial_id);
    void on_result(const std::string &trial_id, const std::string &result_json);
    void on_complete(const std::string &trial_id, const std::optional<std::string> &result_json, bool failed);
    std::string save();
    void restore(const std::string &state);

private:
    std::unique_ptr<PluginInstance> instance_;
    const tune_searcher_t &table_;
};

} // namespace tune::core
