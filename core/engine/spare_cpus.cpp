#include "core/engine/spare_cpus.hpp"

#include <cmath>

namespace tune::core {

std::vector<unsigned> threads_with_spare_cpus(const std::vector<ThreadHolder> &holders,
                                              const std::vector<double> &free_cpus) {
    std::vector<unsigned> holders_on(free_cpus.size(), 0);
    for (const auto &holder : holders)
        if (holder.node < free_cpus.size()) ++holders_on[holder.node];

    std::vector<unsigned> threads;
    threads.reserve(holders.size());
    std::vector<unsigned> seen(free_cpus.size(), 0);
    for (const auto &holder : holders) {
        unsigned extra = 0;
        if (holder.node < free_cpus.size()) {
            // 1e-9: allocations summed in floating point may leave a whole CPU a rounding short.
            const auto spare = static_cast<unsigned>(std::floor(free_cpus[holder.node] + 1e-9));
            const unsigned count = holders_on[holder.node], index = seen[holder.node]++;
            extra = spare / count + (index < spare % count ? 1 : 0);
        }
        threads.push_back(holder.base_threads + extra);
    }
    return threads;
}

} // namespace tune::core
