// The median stopping rule beyond Ray's own tests, on hand-computed sequences: which results
// make up a running mean, medians of odd and even counts, Ray's handling of NaN, failed and
// completed trials, and the audit details. Unless said otherwise: metric loss, mode min,
// time_attr training_iteration, and every trial runs as soon as it is added (none waits).
#include <catch2/catch.hpp>

#include "scheduler_median_stopping_fixture.hpp"

using namespace tune::test;
using tune::core::SchedulerAdapter;

namespace {

Json loss_at(int iteration, const Json &loss) { return Json{{"training_iteration", iteration}, {"loss", loss}}; }

// A trial that ran and completed with one result: loss at iteration.
void completed(SchedulerAdapter &rule, const std::string &trial_id, int iteration, double loss) {
    start(rule, trial_id);
    rule.on_trial_complete(trial_id, loss_at(iteration, loss).dump());
}

// A trial that runs and reports the same loss at iterations 1..last.
void steady(SchedulerAdapter &rule, const std::string &trial_id, int last, double loss) {
    start(rule, trial_id);
    for (int i = 1; i <= last; ++i) report(rule, trial_id, i, loss);
}

} // namespace

TEST_CASE("median stopping: the median of an odd and of an even number of running means") {
    auto rule = make_iteration_rule({{"grace_period", 1}, {"min_samples_required", 2}});
    completed(rule, "a", 2, 1);
    completed(rule, "b", 2, 2);
    completed(rule, "c", 2, 4);
    completed(rule, "d", 2, 6);
    // Four others, 1 2 4 6: the median is the mean of the middle two, 3. A tie continues.
    start(rule, "e");
    Outcome tie = report(rule, "e", 2, 3);
    CHECK(tie.action == "CONTINUE");
    CHECK(tie.detail == Json{{"time", 2}, {"best", 3}, {"median", 3}, {"compared", 4},
                             {"reason", "best not worse than median"}});
    // Five others, 1 2 3 4 6: the median is 3, and 3.5 is worse.
    start(rule, "f");
    Outcome worse = report(rule, "f", 2, 3.5);
    CHECK(worse.action == "STOP");
    CHECK(worse.detail == Json{{"time", 2}, {"best", 3.5}, {"median", 3}, {"compared", 5},
                               {"reason", "best worse than median"}});
    const Json state = describe(rule);
    CHECK(state["stopped"] == 1);
    CHECK(state["median"] == 3);
    CHECK(state["median_time"] == 2);
    CHECK(state["compared"] == 5);
}

TEST_CASE("median stopping: a running mean takes the results from grace_period to t and the last one twice") {
    auto rule = make_iteration_rule({{"grace_period", 2}, {"min_samples_required", 1}});
    start(rule, "a");
    CHECK(report(rule, "a", 1, 10).detail == Json{{"time", 1}, {"reason", "before grace_period"}});
    for (int i = 2; i <= 4; ++i) CHECK(report(rule, "a", i, i - 1).detail["reason"] == "too few trials to compare");
    // Ray records the completing result again, so it weighs twice in a's running mean.
    rule.on_trial_complete("a", loss_at(4, 3).dump());
    // a's mean over iterations 2..4: (1 + 2 + 3 + 3) / 4 = 2.25 (iteration 1, before the grace
    // period, is left out; without the repeat it would be 2, and b would stop).
    start(rule, "b");
    Outcome b = report(rule, "b", 4, 2.2);
    CHECK(b.action == "CONTINUE");
    CHECK(b.detail["median"] == 2.25);
    // The best result is over all of a trial's results, the grace period's too.
    start(rule, "c");
    CHECK(report(rule, "c", 1, 0.5).action == "CONTINUE");
    // At 3, a (latest at 4) and b (latest at 4) are compared: a's mean over 2..3 is 1.5, but b
    // has no result from 2 to 3, so its mean is NaN, and so is the median (see NaN below).
    Outcome c = report(rule, "c", 3, 9);
    CHECK(c.detail["best"] == 0.5);
    CHECK(c.detail["compared"] == 2);
    CHECK(c.detail["reason"] == "median is NaN");
}

TEST_CASE("median stopping: failed trials keep counting and trials not yet at t do not") {
    auto rule = make_iteration_rule({{"grace_period", 1}, {"min_samples_required", 1}});
    start(rule, "a");
    report(rule, "a", 1, 5);
    report(rule, "a", 2, 5);
    rule.on_trial_error("a");
    start(rule, "b");
    report(rule, "b", 1, 4);
    Outcome b = report(rule, "b", 2, 6); // best 4 < a's mean 5
    CHECK(b.action == "CONTINUE");
    CHECK(b.detail["median"] == 5);
    start(rule, "c");
    // No other trial has a result at 3 or later.
    Outcome c = report(rule, "c", 3, 100);
    CHECK(c.action == "CONTINUE");
    CHECK(c.detail["reason"] == "too few trials to compare");
    CHECK(c.detail["compared"] == 0);
}

TEST_CASE("median stopping: NaN as Ray has it") {
    SECTION("a NaN in another trial's window makes the median NaN, which stops the trial") {
        auto rule = make_iteration_rule({{"grace_period", 1}, {"min_samples_required", 1}});
        start(rule, "a");
        report(rule, "a", 1, nullptr); // a NaN metric arrives as JSON null
        start(rule, "b");
        Outcome b = report(rule, "b", 1, 0.1);
        CHECK(b.action == "STOP");
        CHECK(b.detail == Json{{"time", 1}, {"best", 0.1}, {"median", nullptr}, {"compared", 1},
                               {"reason", "median is NaN"}});
    }
    SECTION("another trial with no result between grace_period and t has a NaN running mean") {
        auto rule = make_iteration_rule({{"grace_period", 2}, {"min_samples_required", 1}});
        start(rule, "a");
        report(rule, "a", 1, 1);
        report(rule, "a", 5, 1); // a jumps past 2..3
        start(rule, "b");
        Outcome b = report(rule, "b", 3, 0.5);
        CHECK(b.action == "STOP");
        CHECK(b.detail["reason"] == "median is NaN");
    }
    SECTION("a NaN first result is the trial's best for good and stops it") {
        auto rule = make_iteration_rule({{"grace_period", 1}, {"min_samples_required", 1}});
        steady(rule, "a", 3, 1);
        start(rule, "b");
        Outcome first = report(rule, "b", 1, nullptr);
        CHECK(first.action == "STOP");
        CHECK(first.detail["best"].is_null());
        CHECK(first.detail["reason"] == "best is NaN");
    }
    SECTION("a later NaN never replaces the best") {
        auto rule = make_iteration_rule({{"grace_period", 1}, {"min_samples_required", 1}});
        steady(rule, "a", 3, 1);
        start(rule, "b");
        CHECK(report(rule, "b", 1, 0.5).action == "CONTINUE");
        Outcome later = report(rule, "b", 2, nullptr);
        CHECK(later.action == "CONTINUE");
        CHECK(later.detail["best"] == 0.5);
    }
}

TEST_CASE("median stopping: results without time_attr or the metric are neither judged nor recorded") {
    auto rule = make_iteration_rule({{"grace_period", 0}, {"min_samples_required", 1}});
    start(rule, "a");
    CHECK(send_result(rule, "a", {{"loss", 1}}).detail == Json{{"reason", "time_attr missing"}});
    CHECK(send_result(rule, "a", {{"training_iteration", 1}}).detail == Json{{"reason", "metric missing"}});
    CHECK(describe(rule)["results"] == 0);
    auto [status, message] = call_error([&] { report(rule, "a", 1, "low"); });
    CHECK(status == TUNE_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(message, Catch::Contains("'loss'"));
}

TEST_CASE("median stopping: max mode stops a best strictly below the median") {
    auto rule = make_median({{"time_attr", "training_iteration"}, {"grace_period", 1}, {"min_samples_required", 1}},
                            "accuracy", "max");
    start(rule, "a");
    report(rule, "a", 1, 0.6, "accuracy");
    report(rule, "a", 2, 0.8, "accuracy");
    start(rule, "b");
    CHECK(report(rule, "b", 1, 0.6, "accuracy").action == "CONTINUE"); // a's mean 0.6: a tie
    Outcome b = report(rule, "b", 2, 0.65, "accuracy");                // a's mean 0.7
    CHECK(b.action == "STOP");
    CHECK(b.detail["best"] == 0.65);
    CHECK(b.detail["median"].get<double>() == (0.6 + 0.8) / 2);
}

TEST_CASE("median stopping: choose_trial_to_run runs PENDING trials first then PAUSED ones") {
    auto rule = make_iteration_rule(Json::object());
    for (auto id : {"a", "b", "c", "d"}) rule.on_trial_add(id, "{}");
    CHECK(choose(rule, {{"a", "PAUSED"}, {"b", "PENDING"}, {"c", "PENDING"}}) == "b");
    CHECK(choose(rule, {{"a", "PAUSED"}, {"d", "PAUSED"}}) == "a");
    CHECK(choose(rule, {}) == std::nullopt);
}

namespace {

// The worked example of docs/schedulers.md up to c's iteration 1.
SchedulerAdapter worked_example_start(Json options) {
    options["grace_period"] = 2;
    auto rule = make_iteration_rule(options);
    for (auto id : {"a", "b", "c", "d"}) start(rule, id);
    CHECK(report(rule, "a", 1, 4).detail["reason"] == "before grace_period");
    CHECK(report(rule, "a", 2, 3).detail["reason"] == "too few trials to compare");
    CHECK(report(rule, "b", 1, 2).detail["reason"] == "before grace_period");
    CHECK(report(rule, "b", 2, 2).detail["reason"] == "too few trials to compare");
    CHECK(report(rule, "a", 3, 2).detail["reason"] == "too few trials to compare");
    CHECK(report(rule, "c", 1, 3).detail["reason"] == "before grace_period");
    return rule;
}

} // namespace

TEST_CASE("median stopping: the worked example of docs/schedulers.md") {
    SECTION("as shown") {
        auto rule = worked_example_start({{"min_samples_required", 2}});
        Outcome c = report(rule, "c", 2, 2.5);
        CHECK(c.action == "CONTINUE");
        CHECK(c.detail == Json{{"time", 2}, {"best", 2.5}, {"median", 2.5}, {"compared", 2},
                               {"reason", "best not worse than median"}});
        CHECK(report(rule, "d", 1, 6).detail["reason"] == "before grace_period");
        Outcome d = report(rule, "d", 2, 5);
        CHECK(d.action == "STOP");
        CHECK(d.detail == Json{{"time", 2}, {"best", 5}, {"median", 2.5}, {"compared", 3},
                               {"reason", "best worse than median"}});
        CHECK(describe(rule) == Json{{"scheduler", "median_stopping"}, {"metric", "loss"}, {"mode", "min"},
                                     {"time_attr", "training_iteration"}, {"grace_period", 2},
                                     {"min_samples_required", 2}, {"min_time_slice", 0}, {"hard_stop", true},
                                     {"trials", 4}, {"waiting", 0}, {"recorded_trials", 4}, {"results", 9},
                                     {"stopped", 1}, {"yielded", 0}, {"median", 2.5}, {"median_time", 2},
                                     {"compared", 3}});
        rule.on_trial_complete("d", loss_at(2, 5).dump());
        rule.on_trial_complete("b", loss_at(2, 2).dump());
        Outcome c3 = report(rule, "c", 3, 2.2);
        CHECK(c3.action == "CONTINUE");
        CHECK(c3.detail == Json{{"time", 3}, {"compared", 1}, {"required", 2}, {"waiting", 0},
                                {"reason", "too few trials to compare"}});
    }
    SECTION("without hard_stop") {
        auto rule = worked_example_start({{"min_samples_required", 2}, {"hard_stop", false}});
        report(rule, "c", 2, 2.5);
        report(rule, "d", 1, 6);
        CHECK(report(rule, "d", 2, 5).action == "PAUSE");
        rule.on_trial_add("e", "{}");
        CHECK(choose(rule, {{"d", "PAUSED"}, {"e", "PENDING"}}) == "e");
        CHECK(choose(rule, {{"d", "PAUSED"}}) == "d");
        CHECK(report(rule, "d", 3, 0.1).detail["reason"] == "judged before: runs on unjudged");
    }
    SECTION("with min_samples_required 3 and a trial waiting") {
        auto rule = worked_example_start({{"min_samples_required", 3}});
        rule.on_trial_add("e", "{}");
        Outcome c = report(rule, "c", 2, 2.5);
        CHECK(c.action == "PAUSE");
        CHECK(c.detail == Json{{"time", 2}, {"compared", 2}, {"required", 3}, {"waiting", 1},
                               {"reason", "too few trials to compare: yielding to waiting trials"}});
    }
}
