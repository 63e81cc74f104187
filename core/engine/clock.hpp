// Time as the controller sees it: injected, so that tests can run experiments on a clock
// they move themselves instead of sleeping.
#pragma once

#include <chrono>

namespace tune::core {

class Clock {
public:
    virtual ~Clock() = default;
    // Seconds on a monotonic clock, from an arbitrary origin.
    virtual double now_s() const = 0;
    // Seconds since the Unix epoch (result timestamps).
    virtual double unix_time_s() const = 0;
};

class SystemClock final : public Clock {
public:
    double now_s() const override {
        return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
    }
    double unix_time_s() const override {
        return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    }
};

} // namespace tune::core
