// The host's C++ view of a scheduler plugin instance ("tune.scheduler/1").
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/plugin/plugin_instance.hpp"
#include "core/plugin/scheduler_actions.hpp"
#include "tune/scheduler.h"

namespace tune::core {

struct SchedulerDecision {
    tune_decision_t action = TUNE_DECISION_CONTINUE;
    std::string detail_json; // the plugin's explanation, may be empty
};

// Every call throws PluginCallError if the plugin fails. Not thread-safe.
class SchedulerAdapter {
public:
    explicit SchedulerAdapter(std::unique_ptr<PluginInstance> instance);

    const PluginInfo &info() const { return instance_->info(); }

    void setup(const std::string &settings_json);
    void on_trial_add(const std::string &trial_id, const std::string &config_json);
    SchedulerDecision on_trial_result(const std::string &trial_id, const std::string &result_json);
    // After a CONTINUE to trial_id's result at `iteration`: the first later iteration whose
    // result may get another answer (tune/scheduler.h, decision points). iteration + 1 for a
    // scheduler without that extension.
    std::int64_t next_decision_point(const std::string &trial_id, std::int64_t iteration);
    void on_trial_error(const std::string &trial_id);
    void on_trial_complete(const std::string &trial_id, const std::optional<std::string> &result_json);
    // candidates_json: [{"trial_id":..., "status":"PENDING"|"PAUSED"}]. nullopt: run none now.
    std::optional<std::string> choose_trial_to_run(const std::string &candidates_json);
    // The actions the scheduler queued since the last call (tune/scheduler.h, actions); none
    // for a scheduler without that extension. Throws PluginCallError for a malformed one.
    std::vector<SchedulerAction> take_actions();
    bool takes_actions() const { return actions_ != nullptr; }
    std::string describe_state();
    std::string save();
    void restore(const std::string &state);

private:
    std::unique_ptr<PluginInstance> instance_;
    const tune_scheduler_t &table_;
    const tune_scheduler_decision_points_t *decision_points_; // optional, may be null
    const tune_scheduler_actions_t *actions_;                 // optional, may be null
};

} // namespace tune::core
