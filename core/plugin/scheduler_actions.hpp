// A scheduler's actions (tune/scheduler.h, "tune.scheduler.actions/1"), read and checked: what
// it does to trials beyond answering the result in hand.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tune::core {

struct SchedulerAction {
    enum class Kind { Stop, Checkpoint, Exploit };
    Kind kind = Kind::Stop;
    std::string trial_id;
    std::string detail_json;  // the scheduler's explanation (a JSON object), or ""
    std::string donor_id;     // Exploit: the trial whose checkpoint the trial continues from
    nlohmann::json config;    // Exploit: the trial's new hyperparameters (a JSON object)
    bool log_config = true;   // Exploit: write pbt_global.txt and pbt_policy_<trial>.txt
};

// Reads take_actions' text (a JSON array, or "" for none). Throws std::invalid_argument saying
// which action is wrong and what was expected.
std::vector<SchedulerAction> parse_scheduler_actions(const std::string &text);

} // namespace tune::core
