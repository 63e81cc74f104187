#include "tune/space/random.hpp"

#include <cmath>
#include <limits>

namespace tune::space {

double uniform01(std::mt19937_64 &rng) {
    // The top 53 bits fill a double's mantissa exactly: k / 2^53 for k in [0, 2^53).
    return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

double uniform_real(std::mt19937_64 &rng, double lower, double upper) {
    const double u = uniform01(rng);
    // This form cannot overflow for bounds of opposite sign, unlike lower + u * (upper - lower).
    const double value = (1.0 - u) * lower + u * upper;
    // Rounding can land on upper itself; the interval is half-open.
    return value < upper ? value : std::nextafter(upper, lower);
}

std::uint64_t uniform_below(std::mt19937_64 &rng, std::uint64_t bound) {
    constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    // 2^64 mod bound: draws above max - rejected would favour the small residues.
    const std::uint64_t rejected = (max % bound + 1) % bound;
    for (;;) {
        const std::uint64_t draw = rng();
        if (draw <= max - rejected) return draw % bound;
    }
}

double standard_normal(std::mt19937_64 &rng) {
    constexpr double two_pi = 6.283185307179586476925286766559;
    const double radius_draw = 1.0 - uniform01(rng); // in (0, 1], so the log is finite
    const double angle_draw = uniform01(rng);
    return std::sqrt(-2.0 * std::log(radius_draw)) * std::cos(two_pi * angle_draw);
}

} // namespace tune::space
