// The HyperBand scheduler's decisions beyond Ray's own tests: the documented worked example
// with its audit details and describe_state, decision points, the choice order between
// brackets, NaN metrics and the trials it does not know.
#include <functional>

#include <catch2/catch.hpp>

#include "scheduler_hyperband_fixture.hpp"

using namespace tune::test;
using tune::core::SchedulerAdapter;

namespace {

Json loss_at(double t, const Json &loss) { return Json{{"training_iteration", t}, {"loss", loss}}; }

std::string id(int i) {
    char text[8];
    std::snprintf(text, sizeof text, "%05d", i);
    return text;
}

} // namespace

TEST_CASE("hyperband: the worked example of docs/schedulers.md") {
    // max_t 9, reduction_factor 3: 3 brackets a band; s = 0 holds 3 trials (milestone 9),
    // s = 1 holds 5 (milestone 3, then 9).
    auto hb = make_hyperband({{"max_t", 9}, {"reduction_factor", 3}}, "loss", "min");
    FakeHost host(hb);
    for (int i = 0; i < 8; ++i) host.add(id(i));
    for (int i = 0; i < 8; ++i) REQUIRE(host.choose() == id(i));

    const Outcome first = host.report(id(3), loss_at(3, 0.5));
    CHECK(first.action == "PAUSE");
    CHECK(first.detail == Json{{"time", 3}, {"band", 0}, {"bracket", 1}, {"rung", 3}, {"reached", 1}, {"live", 5},
                               {"reason", "waiting for the bracket's other trials to reach the rung"}});
    CHECK(host.action(id(4), loss_at(3, 0.3)) == "PAUSE");
    CHECK(host.action(id(5), loss_at(3, 0.9)) == "PAUSE");
    CHECK(host.action(id(6), loss_at(3, 0.4)) == "PAUSE");
    const Outcome last = host.report(id(7), loss_at(3, 0.7));
    CHECK(last.action == "STOP");
    CHECK(last.detail == Json{{"time", 3}, {"band", 0}, {"bracket", 1}, {"rung", 3}, {"rank", 4}, {"ranked", 5},
                              {"kept", 2}, {"value", 0.7}, {"next_rung", 9},
                              {"reason", "not in the best 1/reduction_factor at the rung"}});
    CHECK(host.stopped() == std::vector<std::string>{id(5), id(3)});
    CHECK(host.stop_details()[0] == Json{{"band", 0}, {"bracket", 1}, {"rung", 3}, {"rank", 5}, {"ranked", 5},
                                         {"kept", 2}, {"value", 0.9}, {"next_rung", 9},
                                         {"reason", "not in the best 1/reduction_factor at the rung"},
                                         {"trigger", "result of 00007"}});

    const Json state = describe(hb);
    const Json expected = Json::parse(R"({"scheduler": "hyperband", "metric": "loss", "mode": "min",
        "time_attr": "training_iteration", "max_t": 9, "reduction_factor": 3, "stop_last_trials": true,
        "brackets_per_band": 3, "bands": 1, "bracket_count": 2, "skipped_brackets": 0, "trials": 5, "stopped": 3,
        "brackets": [
          {"band": 0, "bracket": 0, "trials": 3, "max_trials": 3, "milestone": 9, "halvings_left": 0,
           "reached": 0, "paused": 0, "completed": 0},
          {"band": 0, "bracket": 1, "trials": 2, "max_trials": 2, "milestone": 9, "halvings_left": 0,
           "reached": 0, "paused": 2, "completed": 0}]})");
    Json compared = state;
    CHECK(compared["brackets"][1]["completed"].get<double>() == 15.0 / 27.0);
    compared["brackets"][1]["completed"] = 0;
    CHECK(compared == expected);

    // The winners run on to 9; the first to get there waits, the last finishes the bracket.
    CHECK(host.resume_all() == std::vector<std::string>{id(4), id(6)});
    CHECK(host.action(id(4), loss_at(9, 0.2)) == "PAUSE");
    const Outcome end = host.report(id(6), loss_at(9, 0.35));
    CHECK(end.action == "STOP");
    CHECK(end.detail == Json{{"time", 9}, {"band", 0}, {"bracket", 1}, {"rung", 9}, {"reason", "bracket finished"}});
    CHECK(host.stopped().back() == id(4));
}

TEST_CASE("hyperband: decision points are the bracket's milestone with training_iteration") {
    auto hb = make_hyperband(Json::object(), "loss", "min");
    FakeHost host(hb);
    host.add(0, 6); // s = 0 (milestone 81): ft_0000-0004; s = 1 (milestone 27): ft_0005
    CHECK(host.action(ft(0), loss_at(1, 1)) == "CONTINUE");
    CHECK(hb.next_decision_point(ft(0), 1) == 81);
    CHECK(host.action(ft(5), loss_at(1, 1)) == "CONTINUE");
    CHECK(hb.next_decision_point(ft(5), 1) == 27);
    CHECK(hb.next_decision_point(ft(5), 26) == 27);
    // Halved alone at 27, it goes on to 81.
    CHECK(host.action(ft(5), loss_at(27, 1)) == "CONTINUE");
    CHECK(hb.next_decision_point(ft(5), 27) == 81);
    // A result without the metric continues and changes nothing.
    CHECK(send_result(hb, ft(0), Json{{"training_iteration", 2}}).action == "CONTINUE");
    CHECK(hb.next_decision_point(ft(0), 2) == 81);

    // Without stop_last_trials, past its last halving a trial continues to its end.
    auto open_ended = make_hyperband({{"stop_last_trials", false}}, "loss", "min");
    FakeHost open_host(open_ended);
    open_host.add(0, 6);
    CHECK(open_host.action(ft(0), loss_at(1, 1)) == "CONTINUE");
    CHECK(open_ended.next_decision_point(ft(0), 1) == TUNE_NO_DECISION_POINT);
    CHECK(open_host.action(ft(0), loss_at(100, 1)) == "CONTINUE");
    CHECK(open_ended.next_decision_point(ft(5), 0) == 27);

    // Another clock: no foresight.
    auto timed = make_hyperband({{"time_attr", "time_total_s"}}, "loss", "min");
    FakeHost timed_host(timed);
    timed_host.add(ft(0));
    CHECK(timed_host.action(ft(0), Json{{"time_total_s", 0.5}, {"loss", 1}}) == "CONTINUE");
    CHECK(timed.next_decision_point(ft(0), 1) == 2);
}

TEST_CASE("hyperband: choose_trial_to_run takes a band's least complete bracket first") {
    // Ray sorts each band's brackets by completion percentage (progress over total work); the
    // bands go in order. Here s = 1 (ft_0005-0012) has progress, s = 0 and s = 2 none.
    auto hb = make_hyperband(Json::object(), "loss", "min");
    FakeHost host(hb);
    host.add(0, 5 + 8 + 15);
    CHECK(host.action(ft(5), loss_at(27, 1)) == "PAUSE");
    CHECK(bracket_state(hb, 0, 1)["completed"].get<double>() == 27.0 / (8 * 27 + 3 * 54));
    CHECK(host.choose() == ft(0));
    for (int i = 1; i < 5; ++i) CHECK(host.choose() == ft(i));
    CHECK(host.choose() == ft(13)); // s = 2 (0 %) before s = 1
    for (int i = 14; i < 28; ++i) CHECK(host.choose() == ft(i));
    CHECK(host.choose() == ft(6));
}

TEST_CASE("hyperband: a NaN metric ranks below every number") {
    // Python's sort has no order for NaN (it compares false both ways); tune ranks it worst.
    auto hb = make_hyperband({{"max_t", 8}, {"reduction_factor", 2}}, "loss", "min");
    FakeHost host(hb);
    host.add(0, 8); // s = 1: ft_0004-0007, 2 of 4 kept at milestone 4
    for (int i = 0; i < 8; ++i) REQUIRE(host.choose() == ft(i));
    CHECK(host.action(ft(4), loss_at(4, nullptr)) == "PAUSE");
    CHECK(host.action(ft(5), loss_at(4, 9)) == "PAUSE");
    CHECK(host.action(ft(6), loss_at(4, 1)) == "PAUSE");
    const Outcome last = host.report(ft(7), loss_at(4, 5));
    CHECK(last.action == "CONTINUE");
    CHECK(host.stopped() == std::vector<std::string>{ft(4), ft(5)});
    CHECK(host.stop_details()[0]["value"] == nullptr);
    CHECK(host.stop_details()[0]["rank"] == 4);
}

TEST_CASE("hyperband: trials it does not know are state errors and so is adding one twice") {
    auto hb = make_hyperband(Json::object(), "loss", "min");
    hb.on_trial_add("a", "{}");
    auto [status, message] = call_error([&] { hb.on_trial_add("a", "{}"); });
    CHECK(status == TUNE_ERROR_STATE);
    CHECK_THAT(message, Catch::Contains("already added"));
    for (const auto &call : std::vector<std::function<void()>>{
             [&] { report(hb, "b", 1, 1); }, [&] { hb.on_trial_complete("b", std::nullopt); },
             [&] { hb.on_trial_error("b"); }, [&] { hb.next_decision_point("b", 1); }}) {
        auto [unknown_status, unknown_message] = call_error(call);
        CHECK(unknown_status == TUNE_ERROR_STATE);
        CHECK_THAT(unknown_message, Catch::Contains("trial 'b' is unknown to the hyperband scheduler"));
    }
    hb.on_trial_complete("a", std::nullopt);
    auto [ended_status, ended_message] = call_error([&] { report(hb, "a", 1, 1); });
    CHECK(ended_status == TUNE_ERROR_STATE);
    // Before setup every call is a state error.
    auto bare = load_hyperband();
    auto [bare_status, bare_message] = call_error([&] { bare.on_trial_add("a", "{}"); });
    CHECK(bare_status == TUNE_ERROR_STATE);
    CHECK_THAT(bare_message, Catch::Contains("call setup first"));
}
