#include "asha_rung.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "tune/sdk/json_numbers.hpp"
#include "percentile.hpp"

namespace tune::asha {

void Rung::record(const std::string &trial_id, double reward) {
    if (contains(trial_id))
        throw StateError("trial '" + trial_id + "' is already recorded at rung " + display_number(milestone_).dump());
    index_.emplace(trial_id, entries_.size());
    entries_.push_back({trial_id, reward, false});
}

std::optional<double> Rung::cutoff(double reduction_factor) const {
    if (entries_.empty()) return std::nullopt;
    std::vector<double> rewards;
    rewards.reserve(entries_.size());
    for (const Entry &entry : entries_) rewards.push_back(entry.reward);
    // Ray computes the percentile as (1 - 1/rf) * 100; the same expression keeps it bit-identical.
    return nan_percentile(std::move(rewards), (1.0 - 1.0 / reduction_factor) * 100.0);
}

bool Rung::better(const Entry &a, std::size_t a_index, const Entry &b, std::size_t b_index) {
    const bool a_nan = std::isnan(a.reward);
    const bool b_nan = std::isnan(b.reward);
    if (a_nan || b_nan) return a_nan && b_nan ? a_index < b_index : b_nan;
    if (a.reward != b.reward) return a.reward > b.reward;
    return a_index < b_index;
}

std::size_t Rung::top_size(double reduction_factor) const {
    return static_cast<std::size_t>(std::floor(static_cast<double>(entries_.size()) / reduction_factor));
}

std::size_t Rung::rank_of(const std::string &trial_id) const {
    auto found = index_.find(trial_id);
    if (found == index_.end()) return 0;
    const Entry &entry = entries_[found->second];
    std::size_t rank = 1;
    for (std::size_t i = 0; i < entries_.size(); ++i)
        if (better(entries_[i], i, entry, found->second)) ++rank;
    return rank;
}

bool Rung::in_top(const std::string &trial_id, double reduction_factor) const {
    auto reward = reward_of(trial_id);
    return reward && !std::isnan(*reward) && rank_of(trial_id) <= top_size(reduction_factor);
}

std::optional<double> Rung::top_threshold(double reduction_factor) const {
    std::vector<std::size_t> order(entries_.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [this](std::size_t a, std::size_t b) { return better(entries_[a], a, entries_[b], b); });
    std::optional<double> threshold;
    const std::size_t top = std::min(top_size(reduction_factor), order.size());
    for (std::size_t i = 0; i < top && !std::isnan(entries_[order[i]].reward); ++i)
        threshold = entries_[order[i]].reward;
    return threshold;
}

std::optional<double> Rung::reward_of(const std::string &trial_id) const {
    auto found = index_.find(trial_id);
    if (found == index_.end()) return std::nullopt;
    return entries_[found->second].reward;
}

bool Rung::promoted(const std::string &trial_id) const {
    auto found = index_.find(trial_id);
    return found != index_.end() && entries_[found->second].promoted;
}

void Rung::mark_promoted(const std::string &trial_id) {
    auto found = index_.find(trial_id);
    if (found == index_.end())
        throw StateError("trial '" + trial_id + "' is not recorded at rung " + display_number(milestone_).dump());
    entries_[found->second].promoted = true;
}

std::size_t Rung::promoted_count() const {
    return static_cast<std::size_t>(
        std::count_if(entries_.begin(), entries_.end(), [](const Entry &entry) { return entry.promoted; }));
}

Json Rung::save() const {
    Json recorded = Json::array();
    Json promoted = Json::array();
    for (const Entry &entry : entries_) {
        recorded.push_back(Json::array({entry.trial_id, encode_double(entry.reward)}));
        if (entry.promoted) promoted.push_back(entry.trial_id);
    }
    return {{"milestone", encode_double(milestone_)}, {"recorded", recorded}, {"promoted", promoted}};
}

Rung Rung::restore(const Json &state, double milestone) {
    const std::string where = "rung " + display_number(milestone).dump();
    if (!state.is_object() || !state.contains("recorded") || !state["recorded"].is_array() ||
        !state.contains("promoted") || !state["promoted"].is_array())
        throw StateError("saved ASHA state: " + where + " needs arrays 'recorded' and 'promoted'");
    Rung rung(milestone);
    for (const Json &entry : state["recorded"]) {
        if (!entry.is_array() || entry.size() != 2 || !entry[0].is_string())
            throw StateError("saved ASHA state: " + where + " has a malformed entry " + entry.dump());
        rung.record(entry[0].get<std::string>(), decode_double(entry[1], "saved ASHA state: " + where + " reward"));
    }
    for (const Json &trial_id : state["promoted"]) {
        if (!trial_id.is_string())
            throw StateError("saved ASHA state: " + where + " has a malformed promoted id " + trial_id.dump());
        rung.mark_promoted(trial_id.get<std::string>());
    }
    return rung;
}

} // namespace tune::asha
