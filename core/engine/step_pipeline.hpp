// How far ahead of its results a running trial is stepped. Each result is a round trip to the
// trial's worker: two wake-ups, which cost more than a fast trainable's whole step. A trial
// whose steps are fast is therefore sent several Steps at once, but only where that changes
// nothing: every result whose handling could need the trainable's state as it was at that
// result (a checkpoint, a pause) is a barrier that no Step is sent past before it arrives.
//
// Barriers: the iterations of periodic checkpoints; the stop criterion's training_iteration;
// and the scheduler's next decision point (it promised to answer CONTINUE before it). A stop
// that no barrier foresees (a metric threshold, time_total_s, the trainable's "done", an
// experiment stopping) lets the results already asked for arrive: they are dropped after a
// stop, or recorded before a pause of the whole experiment, and the trainable is never
// stepped past a "done" (core/worker/trial_runner.hpp).
#pragma once

#include <cstdint>
#include <deque>

#include "core/config/experiment.hpp"

namespace tune::core {

struct StepAheadPolicy {
    static StepAheadPolicy of(const Experiment &experiment);

    long long checkpoint_frequency = 0; // experiment.checkpoint.frequency; 0: none
    long long stop_iteration = 0;       // stop.training_iteration; 0: none
    // False where a stop no barrier foresees would take a final checkpoint (checkpoint.at_end
    // with a stop on a metric or on time_total_s): that checkpoint must hold the stopping
    // result's state, so no Step may be in flight behind it.
    bool allowed = true;
    // Steps queued ahead hold at most about this much of the trial's work (by its last step),
    // so a stop no barrier foresees wastes little.
    std::int64_t work_ahead_ns = 1'000'000;
    int max_in_flight = 64;
};

// How many Steps a running trial may have in flight after its result at training_iteration
// `iteration`: Step k of them produces iteration + k. decision_point is the first iteration
// the scheduler did not promise CONTINUE for (iteration + 1: no promise); last_step_ns the
// trial's last step's duration (< 0: none measured yet). At least 1.
int steps_allowed(const StepAheadPolicy &policy, long long iteration, long long decision_point,
                  std::int64_t last_step_ns);

// The timing of a trial's Steps in flight: a step started when it was sent or when the result
// before it arrived, whichever was later, and ended when its result arrived.
class StepTimes {
public:
    void sent(std::int64_t now_ns) { sent_ns_.push_back(now_ns); }
    // A result arrived: the duration of the step that produced it.
    std::int64_t arrived(std::int64_t now_ns);
    int in_flight() const { return static_cast<int>(sent_ns_.size()); }
    std::int64_t last_step_ns() const { return last_step_ns_; } // < 0 before the first result

private:
    std::deque<std::int64_t> sent_ns_;
    std::int64_t last_arrival_ns_ = 0;
    std::int64_t last_step_ns_ = -1;
};

} // namespace tune::core
