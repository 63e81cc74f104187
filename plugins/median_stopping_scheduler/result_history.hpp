// Every result the median stopping rule has recorded, per trial and in order: Ray's
// MedianStoppingRule._results. Trials stay here after they end, so that completed (and
// failed) trials keep counting in the medians of the trials still running.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tune/plugin.hpp"

namespace tune::median_stopping {

// One recorded result: its time_attr and its metric, in the metric's own sign (NaN allowed).
struct Sample {
    double time;
    double value;
};

class ResultHistory {
public:
    void record(const std::string &trial_id, double time, double value);

    std::size_t trial_count() const { return samples_.size(); }
    std::size_t result_count() const;

    // The trials, other than except_id, whose latest recorded result has time >= time:
    // Ray's _trials_beyond_time, minus the trial being judged.
    std::vector<std::string> trials_beyond(double time, const std::string &except_id) const;

    // The mean of trial_id's metric over its results with grace_period <= time_attr <= time,
    // as numpy.mean computes it; NaN if there are none (Ray: numpy.mean of an empty list).
    double running_mean(const std::string &trial_id, double grace_period, double time) const;

    // The best metric over all of trial_id's results, as Python's min() (mode min) or max()
    // (mode max) picks it: the first value, replaced by each later one strictly better. A NaN
    // first value is never replaced; a later NaN never replaces anything. nullopt if none.
    std::optional<double> best(const std::string &trial_id, tune_mode_t mode) const;

    // {"trial_id": [[time, value], ...], ...}, NaN and infinities spelled out.
    Json save() const;
    // The inverse of save; throws StateError for malformed state.
    static ResultHistory restore(const Json &state);

private:
    std::map<std::string, std::vector<Sample>> samples_; // trial_id -> results in recording order
};

} // namespace tune::median_stopping
