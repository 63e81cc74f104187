// The host's C++ view of a searcher plugin instance ("tune.searcher/1").
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/plugin/plugin_instance.hpp"
#include "core/plugin/trial_searcher.hpp"
#include "tune/searcher.h"

namespace tune::core {

// Every call throws PluginCallError if the plugin fails. Not thread-safe.
class SearcherAdapter final : public TrialSearcher {
public:
    explicit SearcherAdapter(std::unique_ptr<PluginInstance> instance);

    const PluginInfo &info() const { return instance_->info(); }
    const std::string &plugin_id() const override { return instance_->info().id; }

    void setup(const std::string &settings_json);
    SuggestResult suggest(const std::string &trial_id) override;
    void on_result(const std::string &trial_id, const std::string &result_json) override;
    void on_complete(const std::string &trial_id, const std::optional<std::string> &result_json,
                     bool failed) override;
    std::string save() override;
    void restore(const std::string &state) override;

private:
    std::unique_ptr<PluginInstance> instance_;
    const tune_searcher_t &table_;
};

} // namespace tune::core
