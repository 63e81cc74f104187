// One rung of an ASHA bracket: the sign-adjusted rewards (higher is better) that trials had
// when they reached the rung's milestone, in the order they were recorded.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "tune/plugin.hpp"

namespace tune::asha {

class Rung {
public:
    explicit Rung(double milestone) : milestone_(milestone) {}

    double milestone() const { return milestone_; }
    std::size_t size() const { return entries_.size(); }
    bool contains(const std::string &trial_id) const { return index_.count(trial_id) != 0; }

    // Records trial_id's reward (NaN allowed). The trial must not be recorded yet.
    void record(const std::string &trial_id, double reward);

    // Ray's cutoff: the (1 - 1/reduction_factor) percentile of the rewards, NaN ignored;
    // nullopt if nothing is recorded, NaN if only NaN is.
    std::optional<double> cutoff(double reduction_factor) const;

    // Promotion variant. A rung's top is its best floor(size / reduction_factor) rewards;
    // ties go to the earlier recorded, and a NaN reward is never in the top.
    std::size_t top_size(double reduction_factor) const;
    // 1-based position of trial_id in best-first order (NaN last), or 0 if not recorded.
    std::size_t rank_of(const std::string &trial_id) const;
    bool in_top(const std::string &trial_id, double reduction_factor) const;
    // The worst reward still in the top, or nullopt if the top is empty.
    std::optional<double> top_threshold(double reduction_factor) const;
    std::optional<double> reward_of(const std::string &trial_id) const;
    bool promoted(const std::string &trial_id) const;
    void mark_promoted(const std::string &trial_id);
    std::size_t promoted_count() const;

    // {"milestone": m, "recorded": [[trial_id, reward], ...], "promoted": [trial_id, ...]}
    Json save() const;
    // The inverse of save for a rung at milestone; throws StateError for malformed state.
    static Rung restore(const Json &state, double milestone);

private:
    struct Entry {
        std::string trial_id;
        double reward;
        bool promoted;
    };
    // Best-first order: higher reward first, NaN last, ties by recording order.
    static bool better(const Entry &a, std::size_t a_index, const Entry &b, std::size_t b_index);

    double milestone_;
    std::vector<Entry> entries_;                          // in recording order
    std::unordered_map<std::string, std::size_t> index_; // trial_id -> position in entries_
};

} // namespace tune::asha
