#include "core/engine/step_pipeline.hpp"

#include <algorithm>
#include <limits>

namespace tune::core {

StepAheadPolicy StepAheadPolicy::of(const Experiment &experiment) {
    StepAheadPolicy policy;
    policy.checkpoint_frequency = experiment.checkpoint.frequency;
    policy.stop_iteration = experiment.stop.training_iteration.value_or(0);
    policy.allowed = !(experiment.checkpoint.at_end && (experiment.stop.time_total_s || !experiment.stop.metrics.empty()));
    return policy;
}

int steps_allowed(const StepAheadPolicy &policy, long long iteration, long long decision_point,
                  std::int64_t last_step_ns) {
    if (!policy.allowed || last_step_ns < 0) return 1;
    // The first iteration whose result must arrive before anything more is asked for.
    long long barrier = std::max(decision_point, iteration + 1);
    if (policy.checkpoint_frequency > 0)
        barrier = std::min(barrier, (iteration / policy.checkpoint_frequency + 1) * policy.checkpoint_frequency);
    if (policy.stop_iteration > 0) barrier = std::min(barrier, std::max(policy.stop_iteration, iteration + 1));
    long long allowed = barrier - iteration; // Steps for iteration + 1 .. barrier
    const long long by_work =
        last_step_ns == 0 ? std::numeric_limits<long long>::max() : policy.work_ahead_ns / last_step_ns;
    allowed = std::min({allowed, by_work, static_cast<long long>(policy.max_in_flight)});
    return static_cast<int>(std::max(1LL, allowed));
}

std::int64_t StepTimes::arrived(std::int64_t now_ns) {
    std::int64_t started = last_arrival_ns_;
    if (!sent_ns_.empty()) {
        started = std::max(started, sent_ns_.front());
        sent_ns_.pop_front();
    }
    last_arrival_ns_ = now_ns;
    last_step_ns_ = std::max<std::int64_t>(0, now_ns - started);
    return last_step_ns_;
}

} // namespace tune::core
