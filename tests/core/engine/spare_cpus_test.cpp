// How spare CPUs are shared among the running trials of each node (core/engine/spare_cpus).
#include <catch2/catch.hpp>

#include "core/engine/spare_cpus.hpp"

using tune::core::ThreadHolder;
using tune::core::threads_with_spare_cpus;
using Threads = std::vector<unsigned>;

TEST_CASE("spare cpus: a lone trial gets its node's spare CPUs, and gives them back to a new one", "[spare_cpus]") {
    // 2 CPUs, one trial holding 1: the other is lent to it.
    CHECK(threads_with_spare_cpus({{0, 1}}, {1.0}) == Threads{2});
    // A second trial takes the free CPU: both are back at their allocation.
    CHECK(threads_with_spare_cpus({{0, 1}, {0, 1}}, {0.0}) == Threads{1, 1});
    // Nothing to lend to: no trial runs.
    CHECK(threads_with_spare_cpus({}, {8.0}).empty());
}

TEST_CASE("spare cpus: shares are even, the first trials of a node take the remainder", "[spare_cpus]") {
    CHECK(threads_with_spare_cpus({{0, 1}, {0, 1}, {0, 1}}, {5.0}) == Threads{3, 3, 2});
    CHECK(threads_with_spare_cpus({{0, 2}, {0, 1}}, {1.0}) == Threads{3, 1}); // a base above 1 is kept
}

TEST_CASE("spare cpus: each node lends only its own, and only whole CPUs", "[spare_cpus]") {
    // Node 0 has 2 spare, node 1 none, node 2 half a CPU.
    CHECK(threads_with_spare_cpus({{0, 1}, {1, 1}, {2, 1}, {0, 1}}, {2.0, 0.0, 0.5}) == Threads{2, 1, 1, 2});
    // 3 CPUs, trials of 0.5 each holding 2.5 in all: 0.5 + 0.5 + ... leaves exactly 0.5, not 1.
    CHECK(threads_with_spare_cpus({{0, 1}}, {3.0 - 5 * 0.5}) == Threads{1});
    // Allocations summed in floating point may leave a whole CPU a rounding short: it counts.
    CHECK(threads_with_spare_cpus({{0, 1}}, {0.9999999999999}) == Threads{2});
    // A holder on a node the pool does not know keeps its base.
    CHECK(threads_with_spare_cpus({{5, 1}}, {4.0}) == Threads{1});
}
