// How long the relay's loops wait between looks at MPI, which has no file descriptor to sleep
// on: a twentieth of the time since a message last arrived, between 5 us and 2 ms. While
// results stream (fast trials) a look comes every few microseconds, so a batch waits little;
// while trials take seconds per step the looks thin out to one every 2 ms, adding at most
// about 5% of the quiet time (and never over 2 ms) to a result's way, for little CPU.
#pragma once

#include <algorithm>
#include <chrono>

namespace tune::core::mpi {

class PollBackoff {
public:
    static constexpr double kShortestS = 5e-6;
    static constexpr double kLongestS = 2e-3;

    double next() const {
        const double quiet_s = std::chrono::duration<double>(Clock::now() - last_activity_).count();
        return std::clamp(quiet_s / 20.0, kShortestS, kLongestS);
    }
    // Something arrived: the next waits are short again.
    void reset() { last_activity_ = Clock::now(); }

private:
    using Clock = std::chrono::steady_clock;
    Clock::time_point last_activity_ = Clock::now();
};

} // namespace tune::core::mpi
