#include <catch2/catch.hpp>

#include "core/engine/step_pipeline.hpp"

using namespace tune::core;

namespace {
constexpr std::int64_t kMicrosecond = 1000;
constexpr long long kNoPromise(long long iteration) { return iteration + 1; }
} // namespace

TEST_CASE("step pipeline: one step at a time until a step was measured, or where it is not allowed",
          "[step_pipeline]") {
    StepAheadPolicy policy;
    CHECK(steps_allowed(policy, 0, 1'000'000, -1) == 1); // nothing measured yet
    policy.allowed = false;
    CHECK(steps_allowed(policy, 10, 1'000'000, kMicrosecond) == 1);
}

TEST_CASE("step pipeline: fast steps go ahead up to the scheduler's decision point", "[step_pipeline]") {
    StepAheadPolicy policy;
    CHECK(steps_allowed(policy, 10, kNoPromise(10), kMicrosecond) == 1); // no promise: lockstep
    CHECK(steps_allowed(policy, 10, 16, kMicrosecond) == 6);             // steps for 11..16
    CHECK(steps_allowed(policy, 10, 1'000'000, kMicrosecond) == policy.max_in_flight);
}

TEST_CASE("step pipeline: periodic checkpoints and the stop iteration are barriers", "[step_pipeline]") {
    StepAheadPolicy policy;
    policy.checkpoint_frequency = 5;
    CHECK(steps_allowed(policy, 0, 1'000'000, kMicrosecond) == 5);  // 1..5, then the checkpoint at 5
    CHECK(steps_allowed(policy, 5, 1'000'000, kMicrosecond) == 5);  // 6..10
    CHECK(steps_allowed(policy, 9, 1'000'000, kMicrosecond) == 1);  // 10
    policy.checkpoint_frequency = 0;
    policy.stop_iteration = 12;
    CHECK(steps_allowed(policy, 10, 1'000'000, kMicrosecond) == 2); // 11, 12 and no further
    CHECK(steps_allowed(policy, 12, 1'000'000, kMicrosecond) == 1); // past the stop: as asked, one
}

TEST_CASE("step pipeline: the work queued ahead is bounded by the last step's duration", "[step_pipeline]") {
    StepAheadPolicy policy; // 1 ms of work ahead
    CHECK(steps_allowed(policy, 0, 1'000'000, 100 * kMicrosecond) == 10);
    CHECK(steps_allowed(policy, 0, 1'000'000, 600 * kMicrosecond) == 1);
    CHECK(steps_allowed(policy, 0, 1'000'000, 20'000'000'000) == 1); // a 20 s epoch: lockstep
    CHECK(steps_allowed(policy, 0, 1'000'000, 0) == policy.max_in_flight);
}

TEST_CASE("step pipeline: a queued step starts when the result before it arrives", "[step_pipeline]") {
    StepTimes times;
    CHECK(times.last_step_ns() < 0);
    times.sent(100); // three steps sent together at t=100
    times.sent(100);
    times.sent(100);
    CHECK(times.in_flight() == 3);
    CHECK(times.arrived(150) == 50); // from its sending
    CHECK(times.arrived(170) == 20); // from the result before it
    times.sent(200);                 // sent after the second result arrived
    CHECK(times.arrived(190) == 20);
    CHECK(times.arrived(260) == 60);
    CHECK(times.in_flight() == 0);
    CHECK(times.last_step_ns() == 60);
}
