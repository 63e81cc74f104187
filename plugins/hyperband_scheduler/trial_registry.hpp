// The trials HyperBand knows (added, not yet ended): the bracket each joined and its status as
// far as this scheduler can tell. Ray reads a trial's status from its runner; a tune scheduler
// learns it from its calls: PENDING once added, RUNNING once chosen or once it reports, PAUSED
// once this scheduler pauses it. choose_trial_to_run's candidates are authoritative: a trial
// the host retries after a failure comes back among them as PENDING without any other call.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "tune/plugin.hpp"

namespace tune::hyperband {

enum class TrialStatus { pending, running, paused };

const char *status_name(TrialStatus status);

struct TrialEntry {
    std::size_t bracket = 0; // index in BandLayout::brackets()
    TrialStatus status = TrialStatus::pending;
    // A stop action was queued for it: it has left its bracket (as Ray's stop_trial removes it
    // at once), and the host's on_trial_complete only forgets it.
    bool stopping = false;
    // choose_trial_to_run resumed it although it was stopping: the host did not take the stop
    // action (a host before ABI 1.2), so its next result is answered STOP.
    bool resumed_after_stop = false;
};

class TrialRegistry {
public:
    // Throws StateError if the trial is already known.
    void add(const std::string &trial_id, std::size_t bracket);
    // The trial, or a StateError naming it (never added, or already ended).
    TrialEntry &at(const std::string &trial_id);
    const TrialEntry &at(const std::string &trial_id) const;
    TrialEntry *find(const std::string &trial_id);
    void erase(const std::string &trial_id) { trials_.erase(trial_id); }
    std::size_t size() const { return trials_.size(); }
    std::size_t stopping() const;
    const std::map<std::string, TrialEntry> &all() const { return trials_; }

    // {"trial_id": {"bracket": i, "status": "PENDING"|"RUNNING"|"PAUSED", "stopping": bool,
    //  "resumed_after_stop": bool}, ...}
    Json save() const;
    // The inverse of save; throws StateError for malformed state or a bracket index >= brackets.
    static TrialRegistry restore(const Json &state, std::size_t brackets);

private:
    std::map<std::string, TrialEntry> trials_;
};

} // namespace tune::hyperband
