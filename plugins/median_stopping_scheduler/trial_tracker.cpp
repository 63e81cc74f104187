#include "trial_tracker.hpp"

#include "tune/sdk/json_numbers.hpp"

namespace tune::median_stopping {

namespace {

StateError unknown_trial(const std::string &trial_id) {
    return StateError("trial '" + trial_id +
                      "' is unknown to the median_stopping scheduler (never added, or already ended)");
}

} // namespace

void TrialTracker::add(const std::string &trial_id) {
    if (!trials_.emplace(trial_id, TrackedTrial{}).second)
        throw StateError("trial '" + trial_id + "' was already added");
}

TrackedTrial &TrialTracker::at(const std::string &trial_id) {
    auto found = trials_.find(trial_id);
    if (found == trials_.end()) throw unknown_trial(trial_id);
    return found->second;
}

const TrackedTrial &TrialTracker::at(const std::string &trial_id) const {
    auto found = trials_.find(trial_id);
    if (found == trials_.end()) throw unknown_trial(trial_id);
    return found->second;
}

void TrialTracker::note_candidates(const std::vector<Candidate> &candidates) {
    for (const Candidate &candidate : candidates) {
        auto found = trials_.find(candidate.trial_id);
        if (found != trials_.end()) found->second.waiting = true;
    }
}

std::size_t TrialTracker::waiting() const {
    std::size_t count = 0;
    for (const auto &[trial_id, trial] : trials_) count += trial.waiting;
    return count;
}

std::size_t TrialTracker::waiting_except(const std::string &except_id) const {
    std::size_t count = 0;
    for (const auto &[trial_id, trial] : trials_) count += trial.waiting && trial_id != except_id;
    return count;
}

Json TrialTracker::save() const {
    Json state = Json::object();
    for (const auto &[trial_id, trial] : trials_)
        state[trial_id] = {{"waiting", trial.waiting},
                           {"judged_out", trial.judged_out},
                           {"last_pause", encode_double(trial.last_pause)}};
    return state;
}

TrialTracker TrialTracker::restore(const Json &state) {
    if (!state.is_object()) throw StateError("saved median_stopping state needs an object 'trials'");
    TrialTracker tracker;
    for (const auto &item : state.items()) {
        const Json &saved = item.value();
        const std::string where = "trial '" + item.key() + "'";
        if (!saved.is_object() || !saved.contains("waiting") || !saved["waiting"].is_boolean() ||
            !saved.contains("judged_out") || !saved["judged_out"].is_boolean() || !saved.contains("last_pause"))
            throw StateError("saved median_stopping state: " + where +
                             " needs booleans 'waiting' and 'judged_out' and a 'last_pause'");
        TrackedTrial trial;
        trial.waiting = saved["waiting"].get<bool>();
        trial.judged_out = saved["judged_out"].get<bool>();
        trial.last_pause = decode_double(saved["last_pause"], "saved median_stopping state: " + where + " last_pause");
        tracker.trials_.emplace(item.key(), trial);
    }
    return tracker;
}

} // namespace tune::median_stopping
