// One HyperBand bracket, as Ray Tune's _Bracket keeps it: its live trials in the order they
// were added, each with its latest recorded result; how many trials it keeps (n) and the
// milestone they all must reach (cumul_r) before the next successive halving; and its progress,
// which orders brackets in choose_trial_to_run.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "band_geometry.hpp"
#include "tune/plugin.hpp"

namespace tune::hyperband {

// A trial's latest recorded result: its time_attr and its metric (NaN for null).
struct Recorded {
    double time = 0;
    double value = 0;
};

struct LiveTrial {
    std::string trial_id;
    std::optional<Recorded> last; // Ray's None: no result yet, time 0
};

// The outcome of one successive halving, in Ray's order: `bad` then `good` is the ranking
// from worst to best (a stable sort by metric_op * metric; a NaN metric ranks worst).
struct Halving {
    double rung = 0;      // the milestone the trials reached (cumul_r before)
    double next_rung = 0; // cumul_r after
    std::size_t kept = 0; // Ray's new n: how many of the ranked trials go on, at most
    bool ranked = true;   // false: the last rung with stop_last_trials off, nobody ranked or stopped
    std::vector<std::string> good;
    std::vector<std::string> bad;
    // 1 for the best trial; 0 if not ranked.
    std::size_t rank_of(const std::string &trial_id) const;
};

class Bracket {
public:
    Bracket(std::size_t band, std::size_t s, const BandGeometry &geometry, bool stop_last_trials);

    std::size_t band() const { return band_; }
    std::size_t s() const { return s_; }
    double planned_trials() const { return n_; } // Ray's _n
    double initial_trials() const { return n0_; }
    double milestone() const { return cumul_r_; } // Ray's _cumul_r
    std::size_t halvings_left() const { return halves_; }
    const std::vector<LiveTrial> &live() const { return live_; }
    const LiveTrial *find(const std::string &trial_id) const;
    bool contains(const std::string &trial_id) const { return find(trial_id) != nullptr; }
    std::size_t reached_milestone() const; // live trials whose latest time is >= cumul_r

    // Ray's is_being_processed: set by the first successive halving and never cleared, so that
    // a trial's end triggers a halving only before the bracket's first one (as in Ray).
    bool being_processed = false;
    // Ray's trials_to_unpause: paused trials promoted by a halving, which choose_trial_to_run
    // may resume. A trial leaves it when it reports.
    std::set<std::string> to_unpause;

    // Ray's add_trial; throws StateError if the bracket is filled.
    void add_trial(const std::string &trial_id);
    // Ray's cur_iter_done: every live trial's latest time is >= cumul_r (None counts as 0).
    bool cur_iter_done() const;
    // Ray's finished: stop_last_trials, no halving left, and cur_iter_done.
    bool finished() const;
    // Ray's continue_trial: the last rung with stop_last_trials off, or below cumul_r.
    bool continue_trial(const std::string &trial_id) const;
    // Ray's filled: as many live trials as n.
    bool filled() const;
    // Ray's successive_halving: n = ceil(n / eta), r = int(min(r * eta, max_t)), cumul_r = r,
    // and the best n trials by metric_op * metric are good.
    Halving successive_halving(double metric_op);
    // Ray's update_trial_stats: records the result, adds the progress since the trial's
    // previous result, and takes the trial out of to_unpause.
    void update_trial_stats(const std::string &trial_id, const Recorded &result);
    // Ray's cleanup_trial: the trial leaves the live trials (unknown ids are ignored).
    void cleanup_trial(const std::string &trial_id);
    // Ray's completion_percentage: 1 when finished, else progress / total work, at most 1.
    double completion_percentage() const;

    // {"band", "s", "n", "r", "cumul_r", "halves", "progress", "being_processed",
    //  "live": [[trial_id, time or null, value], ...], "to_unpause": [...]}.
    Json save() const;
    // Replaces the mutable state with a saved one. Throws StateError if it is malformed or was
    // saved for another bracket (band, s or geometry).
    void restore(const Json &state);

private:
    LiveTrial *find(const std::string &trial_id);

    std::size_t band_;
    std::size_t s_;
    double eta_;
    double max_t_;
    bool stop_last_trials_;
    double n0_;
    double total_work_;
    std::vector<LiveTrial> live_;
    double n_;       // Ray's _n
    double r_;       // Ray's _r
    double cumul_r_; // Ray's _cumul_r
    std::size_t halves_;
    double completed_progress_ = 0;
};

} // namespace tune::hyperband
