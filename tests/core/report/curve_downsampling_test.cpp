// Largest-triangle-three-buckets: the shape kept, the ends kept, the count as asked.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/report/curve_downsampling.hpp"

using tune::core::downsample_curve;

TEST_CASE("downsampling: a short curve is kept whole", "[report]") {
    const std::vector<double> x{1, 2, 3}, y{3, 2, 1};
    CHECK(downsample_curve(x, y, 3) == std::vector<std::size_t>{0, 1, 2});
    CHECK(downsample_curve(x, y, 100) == std::vector<std::size_t>{0, 1, 2});
}

TEST_CASE("downsampling: a long curve keeps its ends, its count and its spike", "[report]") {
    std::vector<double> x, y;
    for (int i = 0; i < 1000; ++i) {
        x.push_back(i);
        y.push_back(i == 437 ? 50.0 : 1.0 + 0.001 * i);
    }
    const auto kept = downsample_curve(x, y, 50);
    REQUIRE(kept.size() == 50);
    CHECK(kept.front() == 0);
    CHECK(kept.back() == 999);
    CHECK(std::is_sorted(kept.begin(), kept.end()));
    CHECK(std::find(kept.begin(), kept.end(), 437) != kept.end()); // the spike survives
}

TEST_CASE("downsampling: points that are not finite are never chosen inside the curve", "[report]") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::vector<double> x, y;
    for (int i = 0; i < 100; ++i) {
        x.push_back(i);
        y.push_back(i % 3 == 0 ? nan : std::sin(i * 0.1));
    }
    y[0] = nan; // even after a first point that is not finite
    const auto kept = downsample_curve(x, y, 10);
    REQUIRE(kept.size() == 10);
    for (std::size_t k = 1; k + 1 < kept.size(); ++k) CHECK(std::isfinite(y[kept[k]]));
}
