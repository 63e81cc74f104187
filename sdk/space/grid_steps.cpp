#include "tune/space/grid_steps.hpp"

#include <algorithm>
#include <cmath>

namespace tune::space {

std::optional<double> nearly_integral(double ratio) {
    const double nearest = std::round(ratio);
    if (std::abs(ratio - nearest) <= 1e-9 * std::max(1.0, std::abs(nearest))) return nearest;
    return std::nullopt;
}

double step_at_or_above(double ratio) { return nearly_integral(ratio).value_or(std::ceil(ratio)); }
double step_at_or_below(double ratio) { return nearly_integral(ratio).value_or(std::floor(ratio)); }

std::optional<int> decimals_of(double q) {
    double scale = 1.0;
    for (int decimals = 0; decimals <= 15; ++decimals, scale *= 10.0) {
        const double scaled = q * scale;
        if (std::abs(scaled - std::round(scaled)) <= 1e-9 * scaled) return decimals;
    }
    return std::nullopt;
}

double round_to_decimals(double value, int decimals) {
    const double scale = std::pow(10.0, decimals);
    const double scaled = value * scale;
    if (!(std::abs(scaled) < 0x1.0p53)) return value; // no noise below a double's precision
    return std::round(scaled) / scale;
}

std::int64_t floor_div(std::int64_t value, std::int64_t divisor) {
    const std::int64_t quotient = value / divisor;
    return (value % divisor != 0 && value < 0) ? quotient - 1 : quotient;
}

} // namespace tune::space
