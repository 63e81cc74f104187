// The shape of a HyperBand band, computed exactly as Ray Tune's HyperBandScheduler does: how
// many brackets a band has, and each bracket's planned trials, first milestone and total work.
#pragma once

#include <cstddef>

namespace tune::hyperband {

class BandGeometry {
public:
    // Most brackets per band, and most trials per bracket, that tune accepts: beyond them a
    // band could not be set up quickly, or its trial counts would not be exact in a double.
    static constexpr std::size_t max_brackets_per_band = 1000;
    static constexpr double max_bracket_trials = 9007199254740992.0; // 2^53

    BandGeometry(double max_t, double reduction_factor);

    // Throws ConfigError naming max_t and reduction_factor when their band has more than
    // max_brackets_per_band brackets or a bracket of more than max_bracket_trials trials.
    static void check(double max_t, double reduction_factor);

    double max_t() const { return max_t_; }
    double eta() const { return eta_; }
    // Ray's _s_max_1: int(np.round(log(max_t) / log(eta))) + 1, np.round rounding half to even.
    std::size_t brackets_per_band() const { return brackets_per_band_; }
    // Ray's _get_n0(s): ceil(s_max_1 / (s + 1) * eta^s), the trials bracket s is filled with.
    double initial_trials(std::size_t s) const;
    // Ray's _get_r0(s): int(max_t * eta^-s), bracket s's first milestone; 0 means Ray skips the
    // bracket ("Bracket too small").
    double initial_milestone(std::size_t s) const;
    // Ray's _Bracket._calculate_total_work(n0, r0, s), the denominator of the bracket's
    // completion percentage. It keeps Ray's arithmetic, min(r * eta, max_t - r0) included.
    double total_work(std::size_t s) const;

private:
    double max_t_;
    double eta_;
    std::size_t brackets_per_band_;
};

} // namespace tune::hyperband
