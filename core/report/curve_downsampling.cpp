#include "core/report/curve_downsampling.hpp"

#include <algorithm>
#include <cmath>

namespace tune::core {

std::vector<std::size_t> downsample_curve(const std::vector<double> &x, const std::vector<double> &y,
                                          std::size_t max_points) {
    const std::size_t n = std::min(x.size(), y.size());
    std::vector<std::size_t> kept;
    if (n <= max_points || n <= 2) {
        for (std::size_t i = 0; i < n; ++i) kept.push_back(i);
        return kept;
    }
    max_points = std::max<std::size_t>(max_points, 3);
    auto finite = [&](std::size_t i) { return std::isfinite(x[i]) && std::isfinite(y[i]); };
    // The points between the first and the last fall into max_points - 2 buckets; from each,
    // keep the point that spans the largest triangle with the point kept before it and the
    // mean of the next bucket.
    const double bucket_size = static_cast<double>(n - 2) / static_cast<double>(max_points - 2);
    auto bucket_begin = [&](std::size_t b) { return 1 + static_cast<std::size_t>(std::floor(b * bucket_size)); };
    kept.push_back(0);
    std::size_t previous = 0;
    for (std::size_t b = 0; b < max_points - 2; ++b) {
        const std::size_t begin = bucket_begin(b), end = std::min(bucket_begin(b + 1), n - 1);
        const std::size_t next_begin = end, next_end = std::min(bucket_begin(b + 2), n - 1);
        double mean_x = 0, mean_y = 0, count = 0;
        for (std::size_t i = next_begin; i < std::max(next_end, next_begin + 1) && i < n; ++i)
            if (finite(i)) {
                mean_x += x[i];
                mean_y += y[i];
                ++count;
            }
        if (count > 0) {
            mean_x /= count;
            mean_y /= count;
        } else {
            mean_x = x[n - 1];
            mean_y = y[n - 1];
        }
        std::size_t chosen = begin;
        double largest = -1.0;
        for (std::size_t i = begin; i < end; ++i) {
            if (!finite(i)) continue;
            double area = std::fabs((x[previous] - mean_x) * (y[i] - y[previous]) -
                                          (x[previous] - x[i]) * (mean_y - y[previous]));
            if (!std::isfinite(area)) area = 0.0; // after a first point that is not finite
            if (area > largest) {
                largest = area;
                chosen = i;
            }
        }
        if (largest < 0) continue; // a bucket with no finite point: none kept from it
        kept.push_back(chosen);
        previous = chosen;
    }
    kept.push_back(n - 1);
    return kept;
}

} // namespace tune::core
