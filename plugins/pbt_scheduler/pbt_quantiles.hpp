// PBT's quantiles (Ray's _quantiles): the worst and the best trials of the population by
// their score at their last perturbation.
#pragma once

#include <string>
#include <vector>

namespace tune::pbt {

// A trial with a score (metric times +1 for max, -1 for min: higher is better).
struct ScoredTrial {
    std::string trial_id;
    double score;
};

struct Quantiles {
    std::vector<ScoredTrial> lower; // worst first
    std::vector<ScoredTrial> upper; // worst first; the best is last
};

// trials: the scored, unfinished trials in the order they were added. Sorted by score (a
// stable sort, so ties keep that order, as Python's sort does; a NaN score sorts below every
// other), then n = ceil(count * quantile_fraction), at most floor(count / 2): the first n are
// the lower quantile, the last n the upper. With count <= 1 both are empty. With n = 0 (a
// fraction of 0) the lower quantile is empty and the upper one holds every trial: Python's
// trials[-0:] is the whole list.
Quantiles quantiles(std::vector<ScoredTrial> trials, double quantile_fraction);

bool contains(const std::vector<ScoredTrial> &trials, const std::string &trial_id);

} // namespace tune::pbt
