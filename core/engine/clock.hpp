// Time as the controller sees it: injected, so that tests can run experiments on a clock
// they move themselves instead of sleeping.
#pragma once

#include <chrono>
#include <cstdint>

namespace tune::core {

class Clock {
public:
    virtual ~Clock() = default;
    // Nanoseconds on a monotonic clock, from an arbitrary origin. Whole nanoseconds, so that a
    // step's duration in seconds (ns / 1e9) prints as it was measured ("0.003043156").
    virtual std::int64_t now_ns() const = 0;
    // Seconds since the Unix epoch (result timestamps).
    virtual double unix_time_s() const = 0;

    double now_s() const { return static_cast<double>(now_ns()) / 1e9; }
    static double seconds(std::int64_t ns) { return static_cast<double>(ns) / 1e9; }
};

class SystemClock final : public Clock {
public:
    std::int64_t now_ns() const override {
        return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }
    double unix_time_s() const override {
        return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    }
};

} // namespace tune::core
