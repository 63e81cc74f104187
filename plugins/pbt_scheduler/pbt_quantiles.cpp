#include "pbt_quantiles.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace tune::pbt {

Quantiles quantiles(std::vector<ScoredTrial> trials, double quantile_fraction) {
    // NaN first, so that the order is a strict weak one (Python compares NaN as neither
    // smaller nor larger, so where it lands depends on its neighbours).
    std::stable_sort(trials.begin(), trials.end(), [](const ScoredTrial &a, const ScoredTrial &b) {
        if (std::isnan(a.score)) return !std::isnan(b.score);
        if (std::isnan(b.score)) return false;
        return a.score < b.score;
    });
    const std::size_t count = trials.size();
    if (count <= 1) return {};
    std::size_t size = static_cast<std::size_t>(std::ceil(static_cast<double>(count) * quantile_fraction));
    if (static_cast<double>(size) > static_cast<double>(count) / 2) size = count / 2;
    Quantiles result;
    result.lower.assign(trials.begin(), trials.begin() + static_cast<std::ptrdiff_t>(size));
    if (size == 0) result.upper = trials; // trials[-0:]
    else result.upper.assign(trials.end() - static_cast<std::ptrdiff_t>(size), trials.end());
    return result;
}

bool contains(const std::vector<ScoredTrial> &trials, const std::string &trial_id) {
    return std::any_of(trials.begin(), trials.end(), [&](const ScoredTrial &t) { return t.trial_id == trial_id; });
}

} // namespace tune::pbt
