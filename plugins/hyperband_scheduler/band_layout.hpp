// HyperBand's bands of brackets, filled as Ray Tune's HyperBandScheduler.on_trial_add fills
// them: a new trial joins the current bracket until it is filled, then the next bracket of the
// band (s = 0, 1, ...), skipping a bracket whose first milestone would be 0, then a new band.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "band_geometry.hpp"
#include "hyperband_bracket.hpp"

namespace tune::hyperband {

class BandLayout {
public:
    BandLayout(const BandGeometry &geometry, bool stop_last_trials);

    // Ray's on_trial_add: the bracket trial_id joins (its index in brackets()).
    std::size_t place(const std::string &trial_id);

    std::vector<Bracket> &brackets() { return brackets_; }
    const std::vector<Bracket> &brackets() const { return brackets_; }
    // Ray's _hyperbands: per band, its brackets' indices in brackets(), nullopt for a skipped one.
    const std::vector<std::vector<std::optional<std::size_t>>> &bands() const { return bands_; }
    std::optional<std::size_t> current() const { return current_; } // Ray's _state["bracket"]
    std::size_t skipped() const;

    // The brackets in Ray's choose_trial_to_run order: bands in order, and within a band its
    // brackets by completion percentage, least complete first (a stable sort).
    std::vector<std::size_t> choice_order() const;

    // {"bands": [[index or null, ...], ...], "current": index or null, "brackets": [...]}.
    Json save() const;
    // Replaces the layout with a saved one. Throws StateError for malformed state or state
    // saved with another geometry.
    void restore(const Json &state);

private:
    BandGeometry geometry_;
    bool stop_last_trials_;
    std::vector<Bracket> brackets_;
    std::vector<std::vector<std::optional<std::size_t>>> bands_{{}};
    std::optional<std::size_t> current_;
};

} // namespace tune::hyperband
