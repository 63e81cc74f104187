// When to save the experiment state: after every change, but at most every min_interval_s,
// and less often when a save is slow (many thousands of trials, a slow disk), so that saving
// never takes more than about 5% of the controller's time. Start, stop and end force a save.
#pragma once

#include <cstdint>
#include <functional>

#include "core/engine/clock.hpp"
#include "core/state/experiment_state.hpp"

namespace tune::core {

// Not thread-safe; the controller's thread calls it.
class StateSaver {
public:
    // write makes one state durable (StateStore::save), throwing DiskError when it cannot.
    StateSaver(std::function<void(const ExperimentState &)> write, const Clock &clock, double min_interval_s);

    void mark_dirty() { dirty_ = true; }
    // Whether a save is due now: something changed and the interval has passed.
    bool due() const;
    // Writes state, numbered sequence() + 1. Returns its sequence number.
    std::uint64_t save(ExperimentState state);

    std::uint64_t sequence() const { return sequence_; }
    void set_sequence(std::uint64_t sequence) { sequence_ = sequence; } // resume: continue the count
    double interval_s() const { return interval_s_; }

private:
    std::function<void(const ExperimentState &)> write_;
    const Clock &clock_;
    double min_interval_s_;
    double interval_s_;
    bool dirty_ = false;
    double last_save_s_ = -1e300;
    std::uint64_t sequence_ = 0;
};

} // namespace tune::core
