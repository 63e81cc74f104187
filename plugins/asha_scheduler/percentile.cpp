#include "percentile.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tune::asha {

double nan_percentile(std::vector<double> values, double percent) {
    values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
                 values.end());
    if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
    std::sort(values.begin(), values.end());

    // numpy divides the percent by 100 first; doing the same keeps results bit-identical.
    const double quantile = percent / 100.0;
    const double virtual_index = static_cast<double>(values.size() - 1) * quantile;
    const double below = std::floor(virtual_index);
    const auto lower = std::min(static_cast<std::size_t>(below), values.size() - 1);
    const auto upper = std::min(lower + 1, values.size() - 1);
    const double gamma = virtual_index - below;
    const double a = values[lower];
    const double b = values[upper];
    // numpy's _lerp: interpolate from the nearer end, for accuracy near gamma = 1.
    const double difference = b - a;
    return gamma >= 0.5 ? b - difference * (1.0 - gamma) : a + difference * gamma;
}

} // namespace tune::asha
