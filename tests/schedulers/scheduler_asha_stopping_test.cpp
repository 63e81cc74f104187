// ASHA's default "stopping" variant: the decisions of Ray Tune's AsyncHyperBandScheduler on
// hand-computed sequences. Notation: a reward is the metric times metric_op (+1 max, -1 min),
// so higher is always better; cutoff(rung) = numpy.nanpercentile(rewards, (1 - 1/rf) * 100)
// with linear interpolation: sorted values v, index i = (n - 1) * q, cutoff = v[floor(i)] +
// (v[floor(i) + 1] - v[floor(i)]) * frac(i). The cutoff is taken before the new reward is
// recorded, and only a reward strictly below it stops.
#include <catch2/catch.hpp>

#include "scheduler_fixture.hpp"

using namespace tune::test;

namespace {

double number(const Json &value) { return value.get<double>(); }

} // namespace

TEST_CASE("ASHA: the plugin is a scheduler with the documented id and Ray's defaults") {
    auto asha = make_asha(Json::object());
    CHECK(asha.info().id == "org.tune.scheduler.asha");
    CHECK(asha.info().kind == TUNE_KIND_SCHEDULER);
    const Json state = describe(asha);
    CHECK(state["variant"] == "stopping");
    CHECK(state["time_attr"] == "training_iteration");
    CHECK(state["metric"] == "loss");
    CHECK(state["mode"] == "min");
    CHECK(state["max_t"] == 100);
    // grace_period 1, reduction_factor 4, max_t 100: int(log(100)/log(4) + 1) = int(4.32) = 4
    // rungs at 1 * 4^k, highest first.
    CHECK(milestones(asha) == std::vector<std::vector<double>>{{64, 16, 4, 1}});
}

TEST_CASE("ASHA: Ray's own docstring example, max mode with rf=2") {
    // Ray: b = _Bracket(1, 10, 2, 0); rewards 2 and 4 continue, 1 stops, cutoff then 2.
    auto asha = make_asha({{"max_t", 10}, {"grace_period", 1}, {"reduction_factor", 2}}, "score", "max");
    for (auto id : {"t1", "t2", "t3"}) asha.on_trial_add(id, "{}");
    CHECK(report(asha, "t1", 1, 2, "score").action == "CONTINUE");
    CHECK(report(asha, "t2", 1, 4, "score").action == "CONTINUE");
    // rf=2: the 50th percentile of {2, 4}: i = 1 * 0.5, cutoff = 2 + (4 - 2) * 0.5 = 3 > 1.
    Outcome third = report(asha, "t3", 1, 1, "score");
    CHECK(third.action == "STOP");
    CHECK(number(third.detail["cutoff"]) == 3.0);
    // The median of {1, 2, 4} is 2.
    CHECK(number(rung_state(asha, 1)["cutoff"]) == 2.0);
}

TEST_CASE("ASHA: min mode, rungs at grace_period * rf^k, ties continue") {
    // max_t 10, rf 2: int(log2(10) + 1) = 4 rungs: 8, 4, 2, 1.
    auto asha = make_asha({{"max_t", 10}, {"grace_period", 1}, {"reduction_factor", 2}});
    CHECK(milestones(asha) == std::vector<std::vector<double>>{{8, 4, 2, 1}});
    for (auto id : {"a", "b", "c", "d"}) asha.on_trial_add(id, "{}");

    // Losses 4, 2, 6, 4 at iteration 1; rewards are -loss.
    Outcome a = report(asha, "a", 1, 4);
    CHECK(a.action == "CONTINUE"); // the first trial at a rung has no cutoff
    CHECK(a.detail == Json{{"time", 1}, {"bracket", 0}, {"rung", 1}, {"recorded", 0}, {"cutoff", nullptr},
                           {"value", -4}, {"reason", "first trial at rung"}});

    Outcome b = report(asha, "b", 1, 2); // cutoff of {-4} is -4; -2 is not below
    CHECK(b.action == "CONTINUE");
    CHECK(number(b.detail["cutoff"]) == -4.0);

    Outcome c = report(asha, "c", 1, 6); // {-4, -2}: -4 + 2 * 0.5 = -3; -6 < -3
    CHECK(c.action == "STOP");
    CHECK(number(c.detail["cutoff"]) == -3.0);
    CHECK(c.detail["reason"] == "below cutoff");

    Outcome d = report(asha, "d", 1, 4); // {-6, -4, -2}: i = 2 * 0.5 = 1, cutoff -4; a tie
    CHECK(d.action == "CONTINUE");
    CHECK(number(d.detail["cutoff"]) == -4.0);
    CHECK(number(d.detail["value"]) == -4.0);
    CHECK(d.detail["reason"] == "not below cutoff");

    // describe_state shows the cutoff in the metric's own sign: {-6, -4, -4, -2}, i = 1.5,
    // -4 + 0 * 0.5 = -4, so loss 4.
    Json rung1 = rung_state(asha, 1);
    CHECK(rung1["recorded"] == 4);
    CHECK(number(rung1["cutoff"]) == 4.0);
    CHECK(rung_state(asha, 8)["cutoff"].is_null());

    // Between milestones nothing is judged.
    Outcome a_at_2 = report(asha, "a", 2, 3); // first at rung 2
    CHECK(a_at_2.action == "CONTINUE");
    CHECK(a_at_2.detail["rung"] == 2);
    Outcome a_at_3 = report(asha, "a", 3, 9);
    CHECK(a_at_3.action == "CONTINUE");
    CHECK(a_at_3.detail == Json{{"time", 3}, {"bracket", 0}, {"reason", "no new rung reached"}});
    // Rung 2 holds {-3}: d's -5 is below.
    Outcome d_at_2 = report(asha, "d", 2, 5);
    CHECK(d_at_2.action == "STOP");
    CHECK(d_at_2.detail["rung"] == 2);
    CHECK(number(d_at_2.detail["cutoff"]) == -3.0);
}

TEST_CASE("ASHA: grace_period and reduction_factor place the milestones") {
    // grace 2, rf 3, max_t 60: int(log(30)/log(3) + 1) = int(4.1) = 4 rungs: 2 * 3^k = 54, 18, 6, 2.
    auto asha = make_asha({{"max_t", 60}, {"grace_period", 2}, {"reduction_factor", 3}});
    CHECK(milestones(asha) == std::vector<std::vector<double>>{{54, 18, 6, 2}});
    asha.on_trial_add("a", "{}");
    CHECK(report(asha, "a", 1, 1.0).detail["reason"] == "no new rung reached"); // before the grace period
    CHECK(report(asha, "a", 2, 1.0).detail["rung"] == 2);
    CHECK(report(asha, "a", 5, 1.0).detail["reason"] == "no new rung reached");
    CHECK(report(asha, "a", 6, 1.0).detail["rung"] == 6);
    CHECK(report(asha, "a", 18, 1.0).detail["rung"] == 18);
}

TEST_CASE("ASHA: max mode with rf=4 cuts at the 75th percentile") {
    // max_t 20, rf 4: int(log4(20) + 1) = 3 rungs: 16, 4, 1.
    auto asha = make_asha({{"max_t", 20}, {"reduction_factor", 4}}, "accuracy", "max");
    CHECK(milestones(asha) == std::vector<std::vector<double>>{{16, 4, 1}});
    for (auto id : {"t1", "t2", "t3", "t4", "t5", "t6"}) asha.on_trial_add(id, "{}");
    auto at_1 = [&](const char *trial, double accuracy) { return report(asha, trial, 1, accuracy, "accuracy"); };

    CHECK(at_1("t1", 1).detail["cutoff"].is_null());
    CHECK(number(at_1("t2", 2).detail["cutoff"]) == 1.0);  // {1}
    CHECK(number(at_1("t3", 3).detail["cutoff"]) == 1.75); // {1,2}: i = 0.75, 1 + 1 * 0.75
    CHECK(number(at_1("t4", 4).detail["cutoff"]) == 2.5);  // {1,2,3}: i = 1.5, 2 + 1 * 0.5
    // {1,2,3,4}: i = 3 * 0.75 = 2.25, 3 + 1 * 0.25 = 3.25: equal to the cutoff continues.
    Outcome tie = at_1("t5", 3.25);
    CHECK(tie.action == "CONTINUE");
    CHECK(number(tie.detail["cutoff"]) == 3.25);
    // {1,2,3,3.25,4}: i = 4 * 0.75 = 3, cutoff 3.25; 3.2 is below.
    Outcome below = at_1("t6", 3.2);
    CHECK(below.action == "STOP");
    CHECK(number(below.detail["cutoff"]) == 3.25);
    CHECK(number(below.detail["value"]) == 3.2); // max mode: the reward is the metric itself
}

TEST_CASE("ASHA: NaN rewards are recorded but ignored by the cutoff and never stop") {
    auto asha = make_asha({{"max_t", 10}, {"reduction_factor", 2}});
    for (auto id : {"a", "b", "c", "d", "e"}) asha.on_trial_add(id, "{}");
    // A NaN metric arrives as JSON null.
    Outcome a = report(asha, "a", 1, nullptr);
    CHECK(a.action == "CONTINUE");
    CHECK(a.detail["value"].is_null());
    // Rung {NaN}: nanpercentile of only NaN is NaN, and nothing is below NaN.
    Outcome b = report(asha, "b", 1, 3);
    CHECK(b.action == "CONTINUE");
    CHECK(b.detail["cutoff"].is_null());
    CHECK(b.detail["reason"] == "no finite reward at rung");
    // Rung {NaN, -3}: NaN ignored, cutoff -3; -5 is below.
    Outcome c = report(asha, "c", 1, 5);
    CHECK(c.action == "STOP");
    CHECK(number(c.detail["cutoff"]) == -3.0);
    // Rung {NaN, -3, -5}: cutoff -4; a NaN reward is never below it.
    Outcome d = report(asha, "d", 1, nullptr);
    CHECK(d.action == "CONTINUE");
    CHECK(number(d.detail["cutoff"]) == -4.0);
    CHECK(d.detail["reason"] == "reward is NaN");
    // Rung {NaN, -3, -5, NaN}: still -4, so -3.5 continues.
    Outcome e = report(asha, "e", 1, 3.5);
    CHECK(e.action == "CONTINUE");
    CHECK(number(e.detail["cutoff"]) == -4.0);
    // Five recorded, NaN included; the median of {-5, -3.5, -3} is -3.5, i.e. loss 3.5.
    Json rung1 = rung_state(asha, 1);
    CHECK(rung1["recorded"] == 5);
    CHECK(number(rung1["cutoff"]) == 3.5);
}

TEST_CASE("ASHA: a result without the metric or the time attribute continues and records nothing") {
    auto asha = make_asha({{"max_t", 10}, {"reduction_factor", 2}});
    asha.on_trial_add("a", "{}");
    asha.on_trial_add("b", "{}");
    Outcome no_metric = send_result(asha, "a", {{"training_iteration", 1}, {"accuracy", 0.5}});
    CHECK(no_metric.action == "CONTINUE");
    CHECK(no_metric.detail == Json{{"reason", "metric missing"}});
    Outcome no_time = send_result(asha, "a", {{"loss", 0.5}});
    CHECK(no_time.action == "CONTINUE");
    CHECK(no_time.detail == Json{{"reason", "time_attr missing"}});
    CHECK(rung_state(asha, 1)["recorded"] == 0);
    // So a is still judged at rung 1 later, and the next trial is not compared with it.
    CHECK(report(asha, "b", 1, 9).detail["reason"] == "first trial at rung");

    SECTION("a metric that is neither a number nor null is an error") {
        auto [status, message] = call_error([&] { report(asha, "a", 1, "low"); });
        CHECK(status == TUNE_ERROR_INVALID_ARGUMENT);
        CHECK_THAT(message, Catch::Contains("'loss'"));
    }
}

TEST_CASE("ASHA: options metric, mode and time_attr override the settings") {
    // Settings say loss/min, the options say accuracy/max over time_total_s. grace 0.5, rf 2,
    // max_t 10: int(log2(20) + 1) = 5 rungs: 0.5 * 2^k = 8, 4, 2, 1, 0.5.
    auto asha = make_asha({{"metric", "accuracy"},
                           {"mode", "max"},
                           {"time_attr", "time_total_s"},
                           {"grace_period", 0.5},
                           {"max_t", 10},
                           {"reduction_factor", 2}});
    CHECK(milestones(asha) == std::vector<std::vector<double>>{{8, 4, 2, 1, 0.5}});
    asha.on_trial_add("a", "{}");
    asha.on_trial_add("b", "{}");
    Outcome a = send_result(asha, "a", {{"time_total_s", 0.7}, {"training_iteration", 5}, {"accuracy", 0.9}});
    CHECK(number(a.detail["rung"]) == 0.5);
    CHECK(number(a.detail["time"]) == 0.7);
    // b's accuracy 0.8 < 0.9: below the cutoff in max mode (its loss would not matter).
    Outcome b = send_result(asha, "b", {{"time_total_s", 0.6}, {"accuracy", 0.8}, {"loss", 0.0}});
    CHECK(b.action == "STOP");
}

TEST_CASE("ASHA: max_t stops a trial when stop_last_trials is true") {
    // max_t 5, rf 2: int(log2(5) + 1) = 3 rungs: 4, 2, 1.
    auto asha = make_asha({{"max_t", 5}, {"reduction_factor", 2}});
    CHECK(milestones(asha) == std::vector<std::vector<double>>{{4, 2, 1}});
    asha.on_trial_add("a", "{}");
    CHECK(report(asha, "a", 1, 1).action == "CONTINUE");
    Outcome at_max = report(asha, "a", 5, 0.1);
    CHECK(at_max.action == "STOP");
    CHECK(at_max.detail == Json{{"time", 5}, {"bracket", 0}, {"reason", "max_t reached"}});
    CHECK(rung_state(asha, 4)["recorded"] == 0); // stopping at max_t records nothing
    CHECK(describe(asha)["stopped"] == 1);
}

TEST_CASE("ASHA: stop_last_trials decides whether Ray's loop looks below a rung already judged") {
    // max_t 10, rf 2: rungs 8, 4, 2, 1. Trial a reports at 1, then jumps to 4, skipping rung 2.
    SECTION("true: a skipped lower rung is judged on the next result") {
        auto asha = make_asha({{"max_t", 10}, {"reduction_factor", 2}});
        asha.on_trial_add("a", "{}");
        CHECK(report(asha, "a", 1, 1).detail["rung"] == 1);
        CHECK(report(asha, "a", 4, 1).detail["rung"] == 4);
        CHECK(report(asha, "a", 5, 1).detail["rung"] == 2); // Ray goes on below rung 4
        CHECK(report(asha, "a", 10, 1).action == "STOP");
    }
    SECTION("false: the loop stops at the highest rung reached, and trials run past max_t") {
        auto asha = make_asha({{"max_t", 10}, {"reduction_factor", 2}, {"stop_last_trials", false}});
        asha.on_trial_add("a", "{}");
        asha.on_trial_add("b", "{}");
        CHECK(report(asha, "a", 1, 1).detail["rung"] == 1);
        CHECK(report(asha, "a", 4, 1).detail["rung"] == 4);
        CHECK(report(asha, "a", 5, 1).detail["reason"] == "no new rung reached");
        Outcome at_max = report(asha, "a", 10, 1); // not stopped: judged at rung 8 instead
        CHECK(at_max.action == "CONTINUE");
        CHECK(at_max.detail["rung"] == 8);
        CHECK(report(asha, "a", 12, 1).detail["reason"] == "no new rung reached");
        // b first reports at 12 > max_t: judged at rung 8 against a's -1.
        Outcome b = report(asha, "b", 12, 3);
        CHECK(b.action == "STOP");
        CHECK(b.detail["rung"] == 8);
        CHECK(number(b.detail["cutoff"]) == -1.0);
    }
}

TEST_CASE("ASHA: on_trial_complete records the last result, then forgets the trial") {
    auto asha = make_asha({{"max_t", 5}, {"reduction_factor", 2}}); // rungs 4, 2, 1
    for (auto id : {"a", "b", "c", "d"}) asha.on_trial_add(id, "{}");
    CHECK(report(asha, "a", 1, 1).action == "CONTINUE");
    CHECK(report(asha, "a", 5, 1).action == "STOP"); // max_t
    // Ray's on_trial_complete runs the bracket once more: a's -1 lands at rung 4 (only there).
    asha.on_trial_complete("a", Json{{"training_iteration", 5}, {"loss", 1}}.dump());
    CHECK(rung_state(asha, 4)["recorded"] == 1);
    CHECK(number(rung_state(asha, 4)["cutoff"]) == 1.0);
    CHECK(rung_state(asha, 2)["recorded"] == 0);
    // So b is compared with it at rung 4: -2 < -1.
    Outcome b = report(asha, "b", 4, 2);
    CHECK(b.action == "STOP");
    CHECK(number(b.detail["cutoff"]) == -1.0);

    // Without a result, or without the metric, nothing is recorded.
    asha.on_trial_complete("c", std::nullopt);
    asha.on_trial_complete("d", Json{{"training_iteration", 4}}.dump());
    CHECK(rung_state(asha, 4)["recorded"] == 2); // a and b
    CHECK(describe(asha)["trials"] == 1);        // only b is live

    auto [status, message] = call_error([&] { report(asha, "a", 6, 1); });
    CHECK(status == TUNE_ERROR_STATE);
    CHECK_THAT(message, Catch::Contains("'a'"));
}

TEST_CASE("ASHA: on_trial_error forgets the trial but keeps what it recorded") {
    auto asha = make_asha({{"max_t", 10}, {"reduction_factor", 2}});
    asha.on_trial_add("a", "{}");
    asha.on_trial_add("b", "{}");
    report(asha, "a", 1, 1);
    asha.on_trial_error("a");
    CHECK(describe(asha)["trials"] == 1);
    CHECK(report(asha, "b", 1, 2).action == "STOP"); // still compared with a's -1
}
