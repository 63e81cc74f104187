#include "band_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "tune/plugin.hpp"
#include "tune/sdk/json_numbers.hpp"

namespace tune::hyperband {

namespace {

// np.round(log(max_t) / log(eta)) + 1, as a double: nearbyint rounds half to even, as numpy.
double brackets_per_band_of(double max_t, double eta) {
    return std::nearbyint(std::log(max_t) / std::log(eta)) + 1;
}

std::string number(double value) { return display_number(value).dump(); }

} // namespace

BandGeometry::BandGeometry(double max_t, double reduction_factor)
    : max_t_(max_t), eta_(reduction_factor),
      brackets_per_band_(static_cast<std::size_t>(brackets_per_band_of(max_t, reduction_factor))) {}

void BandGeometry::check(double max_t, double reduction_factor) {
    const double brackets = brackets_per_band_of(max_t, reduction_factor);
    const std::string pair = "max_t " + number(max_t) + " and reduction_factor " + number(reduction_factor);
    if (!(brackets <= static_cast<double>(max_brackets_per_band)))
        throw ConfigError("hyperband options " + pair + " give " + number(brackets) +
                          " brackets per band; at most " + std::to_string(max_brackets_per_band) +
                          " are supported (raise reduction_factor or lower max_t)");
    const BandGeometry geometry(max_t, reduction_factor);
    for (std::size_t s = 0; s < geometry.brackets_per_band(); ++s)
        if (!(geometry.initial_trials(s) <= max_bracket_trials))
            throw ConfigError("hyperband options " + pair + " give bracket " + std::to_string(s) + " " +
                              number(geometry.initial_trials(s)) + " trials; at most 2^53 are supported");
}

double BandGeometry::initial_trials(std::size_t s) const {
    const auto s_max_1 = static_cast<double>(brackets_per_band_);
    return std::ceil(s_max_1 / static_cast<double>(s + 1) * std::pow(eta_, static_cast<double>(s)));
}

double BandGeometry::initial_milestone(std::size_t s) const {
    return std::trunc(max_t_ * std::pow(eta_, -static_cast<double>(s)));
}

double BandGeometry::total_work(std::size_t s) const {
    double n = initial_trials(s);
    double r = initial_milestone(s);
    const double cumulative_r = r; // Ray never updates it in this loop
    double work = 0;
    for (std::size_t i = 0; i <= s; ++i) {
        work += std::trunc(n) * std::trunc(r);
        n = std::ceil(n / eta_);
        r = std::trunc(std::min(r * eta_, max_t_ - cumulative_r));
    }
    return work;
}

} // namespace tune::hyperband
