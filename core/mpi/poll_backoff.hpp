// How long the relay's loops wait between looks at MPI, which has no file descriptor to sleep
// on: short while messages are flowing (a result's latency), longer as the line stays quiet
// (so an idle rank costs little CPU on a node whose cores run trials).
#pragma once

#include <algorithm>

namespace tune::core::mpi {

class PollBackoff {
public:
    static constexpr double kShortestS = 20e-6;
    static constexpr double kLongestS = 1e-3;

    // The next wait, each one twice the last, up to kLongestS.
    double next() {
        const double wait = wait_s_;
        wait_s_ = std::min(kLongestS, wait_s_ * 2.0);
        return wait;
    }
    // Something arrived: the next wait is short again.
    void reset() { wait_s_ = kShortestS; }

private:
    double wait_s_ = kShortestS;
};

} // namespace tune::core::mpi
