// The median stopping scheduler replays Ray Tune's own tests of MedianStoppingRule
// (python/ray/tune/tests/test_trial_scheduler.py, EarlyStoppingSuite), result for result and
// decision for decision. Ray's result(t, rew) is {time_total_s: t, episode_reward_mean: rew,
// training_iteration: int(t)} (ray_result here); its mock runner has no PENDING or PAUSED
// trial, so here every trial is started as soon as it is added and none waits to run.
//
// basicSetup: t1 reports t = 0..9 with reward 100 t (mean 450, max 900), then t2 reports
// t = 0..4 with reward 450; all continue. The median is over the other trials' running means:
// a trial's mean reward over its results with grace_period <= t' <= t.
#include <catch2/catch.hpp>

#include "scheduler_median_stopping_fixture.hpp"

using namespace tune::test;
using tune::core::SchedulerAdapter;

namespace {

const char *const reward = "episode_reward_mean";

// Ray's rule options as these tests set them: metric episode_reward_mean, mode max.
SchedulerAdapter make_rule(Json options) {
    return make_median(options, reward, "max");
}

void basic_setup(SchedulerAdapter &rule) {
    start(rule, "t1");
    for (int i = 0; i < 10; ++i) REQUIRE(action(rule, "t1", ray_result(i, i * 100)) == "CONTINUE");
    start(rule, "t2");
    for (int i = 0; i < 5; ++i) REQUIRE(action(rule, "t2", ray_result(i, 450)) == "CONTINUE");
}

} // namespace

TEST_CASE("median stopping: the plugin is a scheduler with the documented id and Ray's defaults") {
    auto rule = make_median(Json::object());
    CHECK(rule.info().id == "org.tune.scheduler.median_stopping");
    CHECK(rule.info().kind == TUNE_KIND_SCHEDULER);
    const Json state = describe(rule);
    CHECK(state["scheduler"] == "median_stopping");
    CHECK(state["time_attr"] == "time_total_s");
    CHECK(state["grace_period"] == 60);
    CHECK(state["min_samples_required"] == 3);
    CHECK(state["min_time_slice"] == 0);
    CHECK(state["hard_stop"] == true);
    CHECK(state["metric"] == "loss");
    CHECK(state["mode"] == "min");
}

TEST_CASE("median stopping: Ray testMedianStoppingConstantPerf") {
    auto rule = make_rule({{"grace_period", 0}, {"min_samples_required", 1}});
    basic_setup(rule);
    rule.on_trial_complete("t1", ray_result(10, 1000).dump());
    // t1's results 0, 100, ..., 500 up to t = 5: mean 250; t2's best is 450.
    Outcome at5 = send_result(rule, "t2", ray_result(5, 450));
    CHECK(at5.action == "CONTINUE");
    CHECK(at5.detail == Json{{"time", 5}, {"best", 450}, {"median", 250}, {"compared", 1},
                             {"reason", "best not worse than median"}});
    // Up to t = 6: mean 300; t2's best stays 450 although it now reports 0.
    CHECK(action(rule, "t2", ray_result(6, 0)) == "CONTINUE");
    // Up to t = 10 the completed t1 adds 1000: (4500 + 1000) / 11 = 500 > 450.
    Outcome at10 = send_result(rule, "t2", ray_result(10, 450));
    CHECK(at10.action == "STOP");
    CHECK(at10.detail == Json{{"time", 10}, {"best", 450}, {"median", 500}, {"compared", 1},
                              {"reason", "best worse than median"}});
}

TEST_CASE("median stopping: Ray testMedianStoppingOnCompleteOnly") {
    auto rule = make_rule({{"grace_period", 0}, {"min_samples_required", 1}});
    basic_setup(rule);
    // t1's latest result is at t = 9 < 100: no other trial has got that far.
    Outcome alone = send_result(rule, "t2", ray_result(100, 0));
    CHECK(alone.action == "CONTINUE");
    CHECK(alone.detail["reason"] == "too few trials to compare");
    CHECK(alone.detail["compared"] == 0);
    // t1 completes at t = 101: it now counts, with mean (4500 + 1000) / 11 = 500 > 450.
    rule.on_trial_complete("t1", ray_result(101, 1000).dump());
    Outcome judged = send_result(rule, "t2", ray_result(101, 0));
    CHECK(judged.action == "STOP");
    CHECK(judged.detail["median"] == 500);
    CHECK(judged.detail["best"] == 450);
}

TEST_CASE("median stopping: Ray testMedianStoppingGracePeriod") {
    auto rule = make_rule({{"grace_period", 2.5}, {"min_samples_required", 1}});
    basic_setup(rule);
    rule.on_trial_complete("t1", ray_result(10, 1000).dump());
    rule.on_trial_complete("t2", ray_result(10, 1000).dump());
    start(rule, "t3");
    CHECK(send_result(rule, "t3", ray_result(1, 10)).detail["reason"] == "before grace_period");
    CHECK(action(rule, "t3", ray_result(2, 10)) == "CONTINUE");
    // Only results at 2.5 <= t <= 3 count: t1 has 300, t2 has 450; median (300 + 450) / 2.
    Outcome judged = send_result(rule, "t3", ray_result(3, 10));
    CHECK(judged.action == "STOP");
    CHECK(judged.detail["median"] == 375);
    CHECK(judged.detail["compared"] == 2);
}

TEST_CASE("median stopping: Ray testMedianStoppingMinSamples") {
    auto rule = make_rule({{"grace_period", 0}, {"min_samples_required", 2}});
    basic_setup(rule);
    rule.on_trial_complete("t1", ray_result(10, 1000).dump());
    start(rule, "t3");
    // Insufficient samples to evaluate t3: only t1 got to t = 5 (t2's latest is t = 4).
    Outcome few = send_result(rule, "t3", ray_result(5, 10));
    CHECK(few.action == "CONTINUE");
    CHECK(few.detail == Json{{"time", 5}, {"compared", 1}, {"required", 2}, {"waiting", 0},
                             {"reason", "too few trials to compare"}});
    rule.on_trial_complete("t2", ray_result(5, 1000).dump());
    // Sufficient samples: t1's mean 250, t2's (5 * 450 + 1000) / 6; the median is between.
    Outcome judged = send_result(rule, "t3", ray_result(5, 10));
    CHECK(judged.action == "STOP");
    CHECK(judged.detail["median"].get<double>() == (250.0 + 3250.0 / 6.0) / 2.0);
    CHECK(judged.detail["compared"] == 2);
}

TEST_CASE("median stopping: Ray testMedianStoppingUsesMedian") {
    auto rule = make_rule({{"grace_period", 0}, {"min_samples_required", 1}});
    basic_setup(rule);
    rule.on_trial_complete("t1", ray_result(10, 1000).dump());
    rule.on_trial_complete("t2", ray_result(10, 1000).dump());
    start(rule, "t3");
    // Up to t = 1: t1's mean 50, t2's 450, median 250 < 260.
    Outcome first = send_result(rule, "t3", ray_result(1, 260));
    CHECK(first.action == "CONTINUE");
    CHECK(first.detail["median"] == 250);
    // Up to t = 2: t1's mean 100, t2's 450, median 275 > 260.
    Outcome second = send_result(rule, "t3", ray_result(2, 260));
    CHECK(second.action == "STOP");
    CHECK(second.detail == Json{{"time", 2}, {"best", 260}, {"median", 275}, {"compared", 2},
                                {"reason", "best worse than median"}});
}

TEST_CASE("median stopping: Ray testMedianStoppingSoftStop") {
    auto rule = make_rule({{"grace_period", 0}, {"min_samples_required", 1}, {"hard_stop", false}});
    basic_setup(rule);
    rule.on_trial_complete("t1", ray_result(10, 1000).dump());
    rule.on_trial_complete("t2", ray_result(10, 1000).dump());
    start(rule, "t3");
    CHECK(action(rule, "t3", ray_result(1, 260)) == "CONTINUE");
    CHECK(action(rule, "t3", ray_result(2, 260)) == "PAUSE");
    CHECK(describe(rule)["stopped"] == 1);
}

namespace {

// Ray's _test_metrics: time_attr training_iteration, another metric, max or min mode.
void check_alternate_metric(const std::string &metric, const std::string &mode, double sign) {
    auto rule = make_median({{"grace_period", 0}, {"min_samples_required", 1}, {"time_attr", "training_iteration"}},
                            metric, mode);
    auto result = [&](int t, double reward) { return Json{{"training_iteration", t}, {metric, sign * reward}}; };
    start(rule, "t1");
    for (int i = 0; i < 10; ++i) CHECK(action(rule, "t1", result(i, i * 100)) == "CONTINUE");
    start(rule, "t2");
    for (int i = 0; i < 5; ++i) CHECK(action(rule, "t2", result(i, 450)) == "CONTINUE");
    rule.on_trial_complete("t1", result(10, 1000).dump());
    Outcome at5 = send_result(rule, "t2", result(5, 450));
    CHECK(at5.action == "CONTINUE");
    CHECK(at5.detail["median"] == sign * 250);
    CHECK(at5.detail["best"] == sign * 450);
    CHECK(action(rule, "t2", result(6, 0)) == "CONTINUE");
}

} // namespace

TEST_CASE("median stopping: Ray testAlternateMetrics") {
    check_alternate_metric("neg_mean_loss", "max", 1);
}

TEST_CASE("median stopping: Ray testAlternateMetricsMin") {
    check_alternate_metric("mean_loss", "min", -1);
}
