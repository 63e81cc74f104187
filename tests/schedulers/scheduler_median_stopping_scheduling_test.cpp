// When the median stopping rule pauses trials: it yields a trial that has too few others to
// compare with while other trials wait to run (spaced by min_time_slice), and with hard_stop
// false it pauses, instead of stopping, a trial worse than the median, which then runs on
// unjudged. And its decision points. Metric loss, mode min, time_attr training_iteration.
#include <catch2/catch.hpp>

#include <limits>

#include "scheduler_median_stopping_fixture.hpp"

using namespace tune::test;
using tune::core::SchedulerAdapter;

namespace {

constexpr std::int64_t never = std::numeric_limits<std::int64_t>::max();

} // namespace

TEST_CASE("median stopping: too few trials to compare yields to waiting trials") {
    auto rule = make_iteration_rule({{"grace_period", 1}, {"min_samples_required", 3}});
    rule.on_trial_add("a", "{}");
    rule.on_trial_add("b", "{}");
    REQUIRE(choose(rule, {{"a", "PENDING"}, {"b", "PENDING"}}) == "a");
    // b waits (PENDING): a yields its place.
    Outcome a1 = report(rule, "a", 1, 1);
    CHECK(a1.action == "PAUSE");
    CHECK(a1.detail == Json{{"time", 1}, {"compared", 0}, {"required", 3}, {"waiting", 1},
                            {"reason", "too few trials to compare: yielding to waiting trials"}});
    // PENDING trials run before PAUSED ones, as in Ray's FIFO.
    REQUIRE(choose(rule, {{"a", "PAUSED"}, {"b", "PENDING"}}) == "b");
    CHECK(report(rule, "b", 1, 1).action == "PAUSE"); // a waits (PAUSED)
    REQUIRE(choose(rule, {{"a", "PAUSED"}, {"b", "PAUSED"}}) == "a");
    CHECK(report(rule, "a", 2, 1).action == "PAUSE"); // min_time_slice 0: 2 - 1 > 0
    CHECK(describe(rule)["yielded"] == 3);
    CHECK(describe(rule)["waiting"] == 2);
    // With nothing waiting the trial continues.
    REQUIRE(choose(rule, {{"b", "PAUSED"}}) == "b");
    rule.on_trial_complete("a", std::nullopt);
    Outcome b2 = report(rule, "b", 2, 1);
    CHECK(b2.action == "CONTINUE");
    CHECK(b2.detail["reason"] == "too few trials to compare");
    CHECK(b2.detail["waiting"] == 0);
}

TEST_CASE("median stopping: min_time_slice spaces a trial's yields") {
    auto rule = make_iteration_rule({{"grace_period", 1}, {"min_samples_required", 3}, {"min_time_slice", 3}});
    rule.on_trial_add("a", "{}");
    rule.on_trial_add("b", "{}");
    REQUIRE(choose(rule, {{"a", "PENDING"}, {"b", "PENDING"}}) == "a");
    CHECK(report(rule, "a", 1, 1).action == "PAUSE"); // never yielded before
    REQUIRE(choose(rule, {{"a", "PAUSED"}, {"b", "PENDING"}}) == "b");
    CHECK(report(rule, "b", 1, 1).action == "PAUSE");
    REQUIRE(choose(rule, {{"a", "PAUSED"}, {"b", "PAUSED"}}) == "a");
    // b waits, but a yielded at 1: it runs on while t - 1 <= 3.
    for (int t = 2; t <= 4; ++t) {
        Outcome held = report(rule, "a", t, 1);
        CHECK(held.action == "CONTINUE");
        CHECK(held.detail["reason"] == "too few trials to compare: yielded within min_time_slice");
        CHECK(held.detail["last_pause"] == 1);
    }
    CHECK(report(rule, "a", 5, 1).action == "PAUSE"); // 5 - 1 > 3
}

TEST_CASE("median stopping: choose_trial_to_run's candidates tell which trials wait") {
    // The host may put a trial back to PENDING on its own (a failed trial is retried): the
    // scheduler learns it from the candidates it is offered.
    auto rule = make_iteration_rule({{"grace_period", 1}, {"min_samples_required", 3}});
    for (auto id : {"a", "b", "c"}) rule.on_trial_add(id, "{}");
    REQUIRE(choose(rule, {{"a", "PENDING"}, {"b", "PENDING"}, {"c", "PENDING"}}) == "a");
    REQUIRE(choose(rule, {{"b", "PENDING"}, {"c", "PENDING"}}) == "b");
    REQUIRE(choose(rule, {{"c", "PENDING"}}) == "c");
    CHECK(report(rule, "a", 1, 1).action == "CONTINUE"); // all three run: nothing waits
    REQUIRE(choose(rule, {{"c", "PENDING"}, {"b", "PENDING"}}) == "c");
    CHECK(report(rule, "a", 2, 1).action == "PAUSE"); // b waits now
}

TEST_CASE("median stopping: without hard_stop a trial worse than the median pauses and then runs on unjudged") {
    auto rule = make_iteration_rule({{"grace_period", 1}, {"min_samples_required", 1}, {"hard_stop", false}});
    start(rule, "a");
    report(rule, "a", 1, 1);
    rule.on_trial_complete("a", Json{{"training_iteration", 3}, {"loss", 1}}.dump());
    start(rule, "b");
    Outcome paused = report(rule, "b", 1, 2);
    CHECK(paused.action == "PAUSE");
    CHECK(paused.detail["reason"] == "best worse than median");
    CHECK(describe(rule)["stopped"] == 1);
    // A new trial runs first; then b resumes and is never judged again, its results unrecorded.
    rule.on_trial_add("c", "{}");
    CHECK(choose(rule, {{"b", "PAUSED"}, {"c", "PENDING"}}) == "c");
    CHECK(choose(rule, {{"b", "PAUSED"}}) == "b");
    const Json before = describe(rule);
    for (int t = 2; t <= 4; ++t) {
        Outcome resumed = report(rule, "b", t, 50);
        CHECK(resumed.action == "CONTINUE");
        CHECK(resumed.detail == Json{{"time", t}, {"reason", "judged before: runs on unjudged"}});
        CHECK(rule.next_decision_point("b", t) == never);
    }
    CHECK(describe(rule)["results"] == before["results"]);
    // Its completing result is recorded, as in Ray.
    rule.on_trial_complete("b", Json{{"training_iteration", 5}, {"loss", 50}}.dump());
    CHECK(describe(rule)["results"] == before["results"].get<int>() + 1);
}

TEST_CASE("median stopping: decision points fall at the grace period with training_iteration") {
    SECTION("nothing before the grace period, any result from it on") {
        auto rule = make_iteration_rule({{"grace_period", 5}, {"min_samples_required", 1}});
        start(rule, "a");
        for (int t = 1; t <= 4; ++t) {
            REQUIRE(report(rule, "a", t, 1).action == "CONTINUE");
            CHECK(rule.next_decision_point("a", t) == 5);
        }
        REQUIRE(report(rule, "a", 5, 1).action == "CONTINUE");
        CHECK(rule.next_decision_point("a", 5) == 6);
    }
    SECTION("a fractional grace period rounds up to a whole iteration") {
        auto rule = make_iteration_rule({{"grace_period", 2.5}});
        start(rule, "a");
        REQUIRE(report(rule, "a", 1, 1).action == "CONTINUE");
        CHECK(rule.next_decision_point("a", 1) == 3);
    }
    SECTION("grace period 0 promises nothing") {
        auto rule = make_iteration_rule({{"grace_period", 0}});
        start(rule, "a");
        REQUIRE(report(rule, "a", 1, 1).action == "CONTINUE");
        CHECK(rule.next_decision_point("a", 1) == 2);
    }
    SECTION("another time_attr promises nothing") {
        auto rule = make_median({{"time_attr", "time_total_s"}, {"grace_period", 60}});
        start(rule, "a");
        REQUIRE(send_result(rule, "a", {{"training_iteration", 1}, {"time_total_s", 0.5}, {"loss", 1}}).action ==
                "CONTINUE");
        CHECK(rule.next_decision_point("a", 1) == 2);
    }
    SECTION("the promise holds: before the grace period even a hopeless trial with others waiting continues") {
        auto rule = make_iteration_rule({{"grace_period", 3}, {"min_samples_required", 1}});
        start(rule, "a");
        for (int t = 1; t <= 5; ++t) report(rule, "a", t, 0.1);
        for (auto id : {"w1", "w2"}) rule.on_trial_add(id, "{}");
        start(rule, "b");
        CHECK(report(rule, "b", 1, 9).detail["reason"] == "before grace_period");
        CHECK(rule.next_decision_point("b", 1) == 3);
        CHECK(report(rule, "b", 2, 9).action == "CONTINUE");
        CHECK(report(rule, "b", 3, 9).action == "STOP");
    }
}
