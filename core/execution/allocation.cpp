#include "core/execution/allocation.hpp"

#include <algorithm>
#include <cmath>

namespace tune::core {

// Fractions such as 0.1 do not add up exactly in binary: 2.9999999 CPUs still means 3 threads.
unsigned Allocation::threads() const { return std::max(1u, static_cast<unsigned>(std::floor(cpu + 1e-9))); }

} // namespace tune::core
