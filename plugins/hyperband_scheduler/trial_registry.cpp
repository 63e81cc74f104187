#include "trial_registry.hpp"

namespace tune::hyperband {

namespace {

StateError unknown_trial(const std::string &trial_id) {
    return StateError("trial '" + trial_id + "' is unknown to the hyperband scheduler (never added, or already ended)");
}

} // namespace

const char *status_name(TrialStatus status) {
    switch (status) {
    case TrialStatus::pending: return "PENDING";
    case TrialStatus::running: return "RUNNING";
    case TrialStatus::paused: return "PAUSED";
    }
    return "PENDING";
}

void TrialRegistry::add(const std::string &trial_id, std::size_t bracket) {
    TrialEntry trial;
    trial.bracket = bracket;
    if (!trials_.emplace(trial_id, trial).second)
        throw StateError("trial '" + trial_id + "' was already added");
}

TrialEntry &TrialRegistry::at(const std::string &trial_id) {
    auto found = trials_.find(trial_id);
    if (found == trials_.end()) throw unknown_trial(trial_id);
    return found->second;
}

const TrialEntry &TrialRegistry::at(const std::string &trial_id) const {
    auto found = trials_.find(trial_id);
    if (found == trials_.end()) throw unknown_trial(trial_id);
    return found->second;
}

TrialEntry *TrialRegistry::find(const std::string &trial_id) {
    auto found = trials_.find(trial_id);
    return found == trials_.end() ? nullptr : &found->second;
}

std::size_t TrialRegistry::stopping() const {
    std::size_t count = 0;
    for (const auto &[trial_id, trial] : trials_) count += trial.stopping;
    return count;
}

Json TrialRegistry::save() const {
    Json state = Json::object();
    for (const auto &[trial_id, trial] : trials_)
        state[trial_id] = {{"bracket", trial.bracket},
                           {"status", status_name(trial.status)},
                           {"stopping", trial.stopping},
                           {"resumed_after_stop", trial.resumed_after_stop}};
    return state;
}

TrialRegistry TrialRegistry::restore(const Json &state, std::size_t brackets) {
    if (!state.is_object()) throw StateError("saved hyperband state needs an object 'trials'");
    TrialRegistry registry;
    for (const auto &item : state.items()) {
        const Json &saved = item.value();
        const std::string where = "saved hyperband state: trial '" + item.key() + "'";
        if (!saved.is_object() || !saved.contains("bracket") || !saved["bracket"].is_number_unsigned() ||
            saved["bracket"].get<std::size_t>() >= brackets || !saved.contains("stopping") ||
            !saved["stopping"].is_boolean() || !saved.contains("resumed_after_stop") ||
            !saved["resumed_after_stop"].is_boolean() || !saved.contains("status"))
            throw StateError(where + " needs a valid 'bracket', 'status', 'stopping' and 'resumed_after_stop'");
        TrialEntry trial;
        trial.bracket = saved["bracket"].get<std::size_t>();
        const Json &status = saved["status"];
        if (status == "PENDING") trial.status = TrialStatus::pending;
        else if (status == "RUNNING") trial.status = TrialStatus::running;
        else if (status == "PAUSED") trial.status = TrialStatus::paused;
        else throw StateError(where + " has an unknown status " + status.dump());
        trial.stopping = saved["stopping"].get<bool>();
        trial.resumed_after_stop = saved["resumed_after_stop"].get<bool>();
        registry.trials_.emplace(item.key(), trial);
    }
    return registry;
}

} // namespace tune::hyperband
