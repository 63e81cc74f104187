#include "numpy_stats.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>

namespace tune::median_stopping {

namespace {

// numpy's float64 pairwise summation (umath loops_utils): below 8 values a plain loop; up to
// 128 values eight interleaved accumulators combined as a tree, then the remainder; above
// that, two halves split at a multiple of 8, summed recursively. The same grouping gives the
// same rounding.
double pairwise_sum(const double *a, std::size_t n) {
    if (n < 8) {
        double sum = -0.0; // numpy starts at -0.0 so that a sum of -0.0 stays -0.0
        for (std::size_t i = 0; i < n; ++i) sum += a[i];
        return sum;
    }
    constexpr std::size_t block_size = 128;
    if (n <= block_size) {
        double r[8];
        for (std::size_t j = 0; j < 8; ++j) r[j] = a[j];
        std::size_t i = 8;
        for (; i < n - n % 8; i += 8)
            for (std::size_t j = 0; j < 8; ++j) r[j] += a[i + j];
        double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; ++i) sum += a[i];
        return sum;
    }
    std::size_t half = n / 2;
    half -= half % 8;
    return pairwise_sum(a, half) + pairwise_sum(a + half, n - half);
}

} // namespace

double numpy_mean(const std::vector<double> &values) {
    if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
    // numpy.add.reduce starts from the identity 0.0, then divides by the count.
    const double sum = 0.0 + pairwise_sum(values.data(), values.size());
    return sum / static_cast<double>(values.size());
}

double numpy_median(std::vector<double> values) {
    if (values.empty() || std::any_of(values.begin(), values.end(), [](double v) { return std::isnan(v); }))
        return std::numeric_limits<double>::quiet_NaN();
    const std::size_t n = values.size();
    const auto upper = values.begin() + static_cast<std::ptrdiff_t>(n / 2);
    std::nth_element(values.begin(), upper, values.end());
    if (n % 2 == 1) return *upper;
    // numpy takes the mean of the two middle values: (a + b) / 2.
    const double lower = *std::max_element(values.begin(), upper);
    return numpy_mean({lower, *upper});
}

} // namespace tune::median_stopping
