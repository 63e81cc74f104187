// Fewer points for a long curve, keeping its shape: Largest-Triangle-Three-Buckets
// (Steinarsson, 2013), the downsampling Chart.js and most plotting tools use. A curve of
// 1,000 points drawn at 1,000 pixels loses nothing a reader can see at 100.
#pragma once

#include <cstddef>
#include <vector>

namespace tune::core {

// The indices of the points to keep, in order: all of them when there are at most max_points,
// else max_points of them (at least 3), always the first and the last. Points whose x or y is
// not finite are never chosen, except as the first or last.
std::vector<std::size_t> downsample_curve(const std::vector<double> &x, const std::vector<double> &y,
                                          std::size_t max_points);

} // namespace tune::core
