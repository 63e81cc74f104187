#include "band_layout.hpp"

#include <algorithm>

namespace tune::hyperband {

BandLayout::BandLayout(const BandGeometry &geometry, bool stop_last_trials)
    : geometry_(geometry), stop_last_trials_(stop_last_trials) {}

std::size_t BandLayout::place(const std::string &trial_id) {
    if (!current_ || brackets_[*current_].filled()) {
        for (;;) {
            if (bands_.back().size() == geometry_.brackets_per_band()) bands_.emplace_back();
            const std::size_t s = bands_.back().size();
            if (geometry_.initial_milestone(s) == 0) { // Ray: "Bracket too small - Retrying..."
                bands_.back().push_back(std::nullopt);
                current_.reset();
                continue;
            }
            brackets_.emplace_back(bands_.size() - 1, s, geometry_, stop_last_trials_);
            bands_.back().push_back(brackets_.size() - 1);
            current_ = brackets_.size() - 1;
            break;
        }
    }
    brackets_[*current_].add_trial(trial_id);
    return *current_;
}

std::size_t BandLayout::skipped() const {
    std::size_t count = 0;
    for (const auto &band : bands_) count += static_cast<std::size_t>(std::count(band.begin(), band.end(), std::nullopt));
    return count;
}

std::vector<std::size_t> BandLayout::choice_order() const {
    std::vector<std::size_t> order;
    for (const auto &band : bands_) {
        std::vector<std::pair<double, std::size_t>> brackets;
        for (const auto &index : band)
            if (index) brackets.emplace_back(brackets_[*index].completion_percentage(), *index);
        std::stable_sort(brackets.begin(), brackets.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        for (const auto &[percentage, index] : brackets) order.push_back(index);
    }
    return order;
}

Json BandLayout::save() const {
    Json bands = Json::array();
    for (const auto &band : bands_) {
        Json saved = Json::array();
        for (const auto &index : band) saved.push_back(index ? Json(*index) : Json(nullptr));
        bands.push_back(saved);
    }
    Json brackets = Json::array();
    for (const Bracket &bracket : brackets_) brackets.push_back(bracket.save());
    return {{"bands", bands}, {"current", current_ ? Json(*current_) : Json(nullptr)}, {"brackets", brackets}};
}

void BandLayout::restore(const Json &state) {
    const std::string what = "saved hyperband state";
    const Json &saved_bands = json_field(state, "bands");
    const Json &saved_brackets = json_field(state, "brackets");
    if (!state.is_object() || !saved_bands.is_array() || saved_bands.empty() || !saved_brackets.is_array())
        throw StateError(what + " needs 'bands' (a non-empty array) and 'brackets'");

    // Rebuild every bracket from its place in the bands, then take its saved progress: a
    // bracket saved under other options does not match the one its place gives.
    std::vector<Bracket> brackets;
    std::vector<std::vector<std::optional<std::size_t>>> bands;
    for (std::size_t b = 0; b < saved_bands.size(); ++b) {
        const Json &band = saved_bands[b];
        if (!band.is_array() || band.size() > geometry_.brackets_per_band())
            throw StateError(what + ": band " + std::to_string(b) + " is not a list of at most " +
                             std::to_string(geometry_.brackets_per_band()) + " brackets (other options?)");
        bands.emplace_back();
        for (std::size_t s = 0; s < band.size(); ++s) {
            const bool skipped = geometry_.initial_milestone(s) == 0;
            if (band[s].is_null() != skipped || (!skipped && band[s] != brackets.size()))
                throw StateError(what + ": band " + std::to_string(b) + " does not match the options' brackets");
            if (skipped) {
                bands.back().push_back(std::nullopt);
                continue;
            }
            if (brackets.size() >= saved_brackets.size())
                throw StateError(what + ": band " + std::to_string(b) + " names a bracket that was not saved");
            brackets.emplace_back(b, s, geometry_, stop_last_trials_);
            brackets.back().restore(saved_brackets[brackets.size() - 1]);
            bands.back().push_back(brackets.size() - 1);
        }
    }
    if (brackets.size() != saved_brackets.size()) throw StateError(what + " has brackets in no band");
    std::optional<std::size_t> current;
    const Json &saved_current = json_field(state, "current");
    if (!saved_current.is_null()) {
        if (!saved_current.is_number_unsigned() || saved_current.get<std::size_t>() >= brackets.size())
            throw StateError(what + " has no valid 'current' bracket");
        current = saved_current.get<std::size_t>();
    }
    brackets_ = std::move(brackets);
    bands_ = std::move(bands);
    current_ = current;
}

} // namespace tune::hyperband
