// Lending spare CPUs ([experiment] lend_spare_cpus): when fewer trials run than a node's CPUs
// allow (the end of an ASHA run, a searcher with nothing left to suggest, a concurrency
// limit), the CPUs that no allocation holds go to the node's running trials as extra
// intra-op threads, and come back as soon as a new trial holds them. Ray Tune's
// ResourceChangingScheduler does this as a scheduler; here it is the engine's, since the
// resource pool and the executor are. The trials learn their counts through the trainable's
// update_context extension (ABI 1.4).
#pragma once

#include <cstddef>
#include <vector>

namespace tune::core {

struct ThreadHolder {
    std::size_t node = 0;      // where its allocation lies
    unsigned base_threads = 1; // what its allocation gives it
};

// The thread count of each holder, in order: its base, plus an even share of its node's whole
// spare CPUs (free_cpus[node], rounded down); the first holders of a node take the remainder.
// A node whose spare CPUs are fewer than one keeps every holder at its base.
std::vector<unsigned> threads_with_spare_cpus(const std::vector<ThreadHolder> &holders,
                                              const std::vector<double> &free_cpus);

} // namespace tune::core
