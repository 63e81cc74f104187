// The live trials (added, not ended) as the median stopping rule sees them: whether each waits
// to run (PENDING or PAUSED) or runs, whether the rule has already stopped it, and when it last
// yielded. Ray asks its trial runner which live trials are PENDING or PAUSED; a tune scheduler
// learns it from the calls it gets: a trial waits once added, paused by this scheduler or
// offered as a choose_trial_to_run candidate, and runs once chosen or once it reports.
#pragma once

#include <cstddef>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "tune/plugin.hpp"

namespace tune::median_stopping {

struct TrackedTrial {
    bool waiting = true;      // PENDING or PAUSED, as far as this scheduler knows
    bool judged_out = false;  // the rule stopped (or, without hard_stop, paused) it: never judged again
    double last_pause = -std::numeric_limits<double>::infinity(); // time_attr of its last yield
};

class TrialTracker {
public:
    // A new trial, waiting to run. Throws StateError if it is already live.
    void add(const std::string &trial_id);
    // The live trial, or a StateError naming it (never added, or already ended).
    TrackedTrial &at(const std::string &trial_id);
    const TrackedTrial &at(const std::string &trial_id) const;
    bool contains(const std::string &trial_id) const { return trials_.count(trial_id) != 0; }
    // The trial ended (completed or failed): forgotten. Unknown ids are ignored.
    void remove(const std::string &trial_id) { trials_.erase(trial_id); }

    // choose_trial_to_run's candidates all wait to run; the chosen one runs from now on.
    void note_candidates(const std::vector<Candidate> &candidates);

    std::size_t size() const { return trials_.size(); }
    // Live trials that wait to run; those other than except_id.
    std::size_t waiting() const;
    std::size_t waiting_except(const std::string &except_id) const;

    // {"trial_id": {"waiting": bool, "judged_out": bool, "last_pause": number or "-inf"}, ...}
    Json save() const;
    // The inverse of save; throws StateError for malformed state.
    static TrialTracker restore(const Json &state);

private:
    std::map<std::string, TrackedTrial> trials_;
};

} // namespace tune::median_stopping
