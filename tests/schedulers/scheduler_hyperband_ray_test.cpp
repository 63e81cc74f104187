// The HyperBand scheduler replays Ray Tune's own tests of HyperBandScheduler
// (python/ray/tune/tests/test_trial_scheduler.py, HyperbandSuite), event for event: the same
// trials added, the same results reported, the same decisions out, and Ray's stop_trial calls
// as stop actions (ABI 1.2). Ray's assertions on its internals (_hyperbands, _n, _r,
// current_trials()) are read from describe_state here.
//
// Ray's mock runner (_MockTrialRunner) launches trials without choose_trial_to_run; here they
// simply report (a result marks a trial RUNNING). Where a Ray test calls on_trial_result
// without process_action, its mock keeps the paused trials RUNNING; FakeHost applies every
// decision as the engine does, so those trials are PAUSED here, and a halving stops them with
// stop actions where Ray's mock only drops them from the bracket (the bracket is the same).
//
// Default statistics (max_t 81, reduction_factor 3): 5 brackets per band; bracket s has
// n0 = 5, 8, 15, 34, 81 trials and first milestone r0 = 81, 27, 9, 3, 1 (143 trials a band).
#include <catch2/catch.hpp>

#include "scheduler_hyperband_fixture.hpp"

using namespace tune::test;
using tune::core::SchedulerAdapter;

namespace {

const int default_n[] = {5, 8, 15, 34, 81};
const int default_r[] = {81, 27, 9, 3, 1};
constexpr int max_trials = 143;

// Ray's downscale(n): int(ceil(n / eta)).
int downscale(int n, double eta = 3) { return static_cast<int>(std::ceil(n / eta)); }

// Ray's schedulerSetup(num_trials, max_t, **kwargs): trials ft_0000 ... added in order.
SchedulerAdapter scheduler_setup(Json options = Json::object()) {
    return make_hyperband(options);
}

std::vector<std::string> ids(int first, int count) {
    std::vector<std::string> all;
    for (int i = first; i < first + count; ++i) all.push_back(ft(i));
    return all;
}

} // namespace

TEST_CASE("hyperband: the plugin is a scheduler with the documented id and Ray's defaults") {
    auto hb = make_hyperband(Json::object(), "loss", "min");
    CHECK(hb.info().id == "org.tune.scheduler.hyperband");
    CHECK(hb.info().kind == TUNE_KIND_SCHEDULER);
    CHECK(hb.takes_actions());
    const Json state = describe(hb);
    CHECK(state["scheduler"] == "hyperband");
    CHECK(state["time_attr"] == "training_iteration");
    CHECK(state["max_t"] == 81);
    CHECK(state["reduction_factor"] == 3);
    CHECK(state["stop_last_trials"] == true);
    CHECK(state["metric"] == "loss");
    CHECK(state["mode"] == "min");
    CHECK(state["brackets_per_band"] == 5);
    CHECK(state["bands"] == 1); // Ray's _hyperbands starts as [[]]
    CHECK(state["brackets"].empty());
}

TEST_CASE("hyperband: Ray testConfigSameEta") {
    // Trials are added until the band has all its brackets (Ray's _cur_band_filled).
    auto hb = scheduler_setup();
    FakeHost host(hb);
    int added = 0;
    while (describe(hb)["brackets"].size() < 5) host.add(ft(added++));
    CHECK(added == 5 + 8 + 15 + 34 + 1); // the last bracket exists once its first trial joins it
    Json brackets = describe(hb)["brackets"];
    CHECK(describe(hb)["bands"] == 1);
    CHECK(brackets[0]["max_trials"] == 5);
    CHECK(brackets[0]["milestone"] == 81);
    CHECK(brackets[4]["max_trials"] == 81);
    CHECK(brackets[4]["milestone"] == 1);
    for (int s = 0; s < 5; ++s) {
        CHECK(brackets[s]["max_trials"] == default_n[s]);
        CHECK(brackets[s]["milestone"] == default_r[s]);
    }

    auto ten = make_hyperband({{"max_t", 1000}, {"reduction_factor", 10}});
    FakeHost ten_host(ten);
    added = 0;
    while (describe(ten)["brackets"].size() < 4) ten_host.add(ft(added++));
    brackets = describe(ten)["brackets"];
    CHECK(describe(ten)["brackets_per_band"] == 4);
    CHECK(brackets[0]["max_trials"] == 4);
    CHECK(brackets[0]["milestone"] == 1000);
    CHECK(brackets[3]["max_trials"] == 1000);
    CHECK(brackets[3]["milestone"] == 1);
}

TEST_CASE("hyperband: Ray testConfigSameEtaSmall") {
    auto hb = make_hyperband({{"max_t", 1}});
    FakeHost host(hb);
    int added = 0;
    while (describe(hb)["bands"] < 2) host.add(ft(added++));
    CHECK(added == 2);
    const Json brackets = describe(hb)["brackets"];
    REQUIRE(brackets.size() == 2);
    CHECK(brackets[0]["band"] == 0); // the first band has one bracket
    CHECK(brackets[1]["band"] == 1);
}

TEST_CASE("hyperband: Ray testSuccessiveHalving") {
    auto hb = scheduler_setup();
    FakeHost host(hb);
    host.add(0, max_trials);
    // The biggest bracket (s = 4: ft_0062 ... ft_0142) halves four times: 81, 27, 9, 3, 1.
    std::vector<std::string> trials = ids(62, 81);
    int cur_units = 1;
    for (int round = 0; round < 4; ++round) {
        INFO("round " << round);
        const int length = static_cast<int>(trials.size());
        const int kept = downscale(length);
        std::string action;
        // Results 0, 1, 2, ... in order: every trial but the last pauses.
        for (int i = 0; i < length; ++i) {
            action = host.action(trials[i], ray_result(cur_units, i));
            if (i < length - 1) REQUIRE(action == "PAUSE");
        }
        CHECK(action == "CONTINUE");
        // The worst length - kept were paused: each is stopped, worst first.
        const std::vector<std::string> losers(trials.begin(), trials.end() - kept);
        CHECK(host.take_stopped() == losers);
        CHECK(bracket_state(hb, 0, 4)["trials"] == kept);
        trials.erase(trials.begin(), trials.end() - kept);
        cur_units *= 3;
        CHECK(bracket_state(hb, 0, 4)["milestone"] == cur_units);
    }
    CHECK(trials == std::vector<std::string>{ft(142)});
    CHECK(bracket_state(hb, 0, 4)["trials"] == 1);
    CHECK(describe(hb)["stopped"] == 80);
}

TEST_CASE("hyperband: Ray testSuccessiveHalving details of the first halving") {
    auto hb = scheduler_setup();
    FakeHost host(hb);
    host.add(0, max_trials);
    for (int i = 0; i < 80; ++i) REQUIRE(host.action(ft(62 + i), ray_result(1, i)) == "PAUSE");
    const Outcome last = host.report(ft(142), ray_result(1, 80));
    CHECK(last.action == "CONTINUE");
    CHECK(last.detail == Json{{"time", 1}, {"band", 0}, {"bracket", 4}, {"rung", 1}, {"rank", 1}, {"ranked", 81},
                              {"kept", 27}, {"value", 80}, {"next_rung", 3}, {"reason", "promoted to the next rung"}});
    REQUIRE(host.stop_details().size() == 54);
    CHECK(host.stop_details()[0] == Json{{"band", 0}, {"bracket", 4}, {"rung", 1}, {"rank", 81}, {"ranked", 81},
                                         {"kept", 27}, {"value", 0}, {"next_rung", 3},
                                         {"reason", "not in the best 1/reduction_factor at the rung"},
                                         {"trigger", "result of ft_0142"}});
    // The 26 promoted paused trials may run again; the pending trials of less complete
    // brackets come first (Ray sorts a band's brackets by completion percentage).
    CHECK(host.choose() == ft(0));
}

TEST_CASE("hyperband: Ray testHalvingStop") {
    auto hb = scheduler_setup();
    FakeHost host(hb);
    host.add(0, default_n[0] + default_n[1]); // brackets s = 0 (ft_0000-0004) and s = 1 (ft_0005-0012)
    // Results in reverse order: ft_0012 reports 7 first, ft_0005 reports 0 last and is stopped.
    std::string action;
    for (int i = 7; i >= 0; --i) action = host.action(ft(5 + i), ray_result(default_r[1], i));
    CHECK(action == "STOP");
    CHECK(host.stopped() == ids(6, 4)); // the other losers, paused, worst first
    CHECK(host.status(ft(5)) == "TERMINATED");
    CHECK(bracket_state(hb, 0, 1)["trials"] == 3);
    CHECK(bracket_state(hb, 0, 1)["milestone"] == 81);
    // The winners are choosable again, after the pending trials of the less complete bracket.
    for (int i = 0; i < 5; ++i) CHECK(host.choose() == ft(i));
    CHECK(host.resume_all() == ids(10, 3));
}

TEST_CASE("hyperband: Ray testStopsLastOne") {
    auto hb = scheduler_setup();
    FakeHost host(hb);
    host.add(0, default_n[0]); // one bracket, s = 0: no halving, milestone max_t
    std::string action;
    for (int i = 0; i < 5; ++i) {
        action = host.action(ft(i), ray_result(default_r[0], i));
        if (i < 4) CHECK(action == "PAUSE");
    }
    CHECK(action == "STOP");
    CHECK(host.stopped() == ids(0, 4)); // Ray's cleanup_full: every paused trial stops
    for (const Json &detail : host.stop_details()) CHECK(detail["reason"] == "bracket finished");
    CHECK(describe(hb)["trials"] == 0);
    CHECK(describe(hb)["brackets"].empty()); // describe_state lists the brackets with live trials
    CHECK(describe(hb)["bracket_count"] == 1);
}

TEST_CASE("hyperband: Ray testContinueLastOne with stop_last_trials false") {
    // Ray's testContinueLastOne predates stop_last_trials (Ray then let the last trial of the
    // s = 0 bracket run on); today's equivalent is stop_last_trials false: nothing pauses.
    auto hb = scheduler_setup({{"stop_last_trials", false}});
    FakeHost host(hb);
    host.add(0, default_n[0]);
    for (int i = 0; i < 5; ++i) CHECK(host.action(ft(i), ray_result(default_r[0], i)) == "CONTINUE");
    for (int x = 0; x < 100; ++x) CHECK(host.action(ft(4), ray_result(default_r[0] + x, 10)) == "CONTINUE");
    CHECK(host.stopped().empty());
}

TEST_CASE("hyperband: Ray testTrialErrored and testTrialEndedEarly") {
    for (const bool errored : {true, false}) {
        INFO((errored ? "testTrialErrored" : "testTrialEndedEarly"));
        auto hb = scheduler_setup();
        FakeHost host(hb);
        host.add(0, default_n[0] + 3); // s = 1 holds t1, t2, t3 = ft_0005, ft_0006, ft_0007
        if (errored) host.fail(ft(7));
        else host.complete(ft(7), ray_result(1, 12));
        CHECK(host.action(ft(5), ray_result(default_r[1], 10)) == "PAUSE");
        CHECK(host.action(ft(6), ray_result(default_r[1], 10)) == "CONTINUE");
        CHECK(host.stopped().empty()); // 2 trials, 3 kept: nobody stops
        CHECK(host.resume_all() == std::vector<std::string>{ft(0), ft(1), ft(2), ft(3), ft(4), ft(5)});
    }
}

TEST_CASE("hyperband: Ray testTrialErrored2 and testTrialEndedEarly2") {
    for (const bool errored : {true, false}) {
        INFO((errored ? "testTrialErrored2" : "testTrialEndedEarly2"));
        auto hb = scheduler_setup();
        FakeHost host(hb);
        host.add(0, default_n[0] + default_n[1]); // s = 1: ft_0005 ... ft_0012
        for (int i = 5; i < 12; ++i) CHECK(host.action(ft(i), ray_result(default_r[1], 10)) == "PAUSE");
        // The last trial's end completes the rung: successive halving over the other seven.
        // (Ray's mock never applied the PAUSEs, so its losers are RUNNING and only leave the
        // bracket; here they are PAUSED and get stop actions.)
        if (errored) host.fail(ft(12));
        else host.complete(ft(12), ray_result(100, 12));
        CHECK(bracket_state(hb, 0, 1)["trials"] == downscale(default_n[1]));
        // A tie keeps the later trials (Ray's stable sort keeps the last n).
        CHECK(host.stopped() == ids(5, 4));
        CHECK(host.stop_details()[0]["trigger"] == "end of " + ft(12));
    }
}

TEST_CASE("hyperband: Ray testAddAfterHalving") {
    auto hb = scheduler_setup();
    FakeHost host(hb);
    host.add(0, default_n[0] + 1); // s = 1 holds ft_0005 alone
    const int init_units = default_r[1];
    CHECK(host.action(ft(5), ray_result(init_units, 0)) == "CONTINUE"); // halved alone: 3 kept, milestone 81
    host.add(ft(6));
    CHECK(bracket_state(hb, 0, 1)["trials"] == 2); // the halved bracket has room: the new trial joins it
    // The newcomer gets fair computation: it runs up to the bracket's milestone, not just r0.
    CHECK(host.action(ft(6), ray_result(init_units, 12)) == "CONTINUE");
    const int new_units = init_units + init_units * 3;
    CHECK(host.action(ft(6), ray_result(new_units, 12)) == "PAUSE");
}

TEST_CASE("hyperband: Ray testAlternateMetrics and testAlternateMetricsMin") {
    for (const bool minimize : {false, true}) {
        INFO((minimize ? "testAlternateMetricsMin" : "testAlternateMetrics"));
        const std::string metric = minimize ? "mean_loss" : "neg_mean_loss";
        auto hb = make_hyperband({{"time_attr", "time_total_s"}}, metric, minimize ? "min" : "max");
        FakeHost host(hb);
        host.add(0, max_trials);
        std::string action;
        for (int i = 0; i < 81; ++i)
            action = host.action(ft(62 + i), Json{{"time_total_s", 1}, {metric, minimize ? -i : i}});
        CHECK(action == "CONTINUE");
        CHECK(bracket_state(hb, 0, 4)["trials"] == downscale(81));
        CHECK(host.stopped() == ids(62, 54));
    }
}

TEST_CASE("hyperband: Ray testJumpingTime") {
    auto hb = scheduler_setup();
    FakeHost host(hb);
    host.add(0, 81); // the last bracket (s = 4) holds ft_0062 ... ft_0080, 19 of its 81
    for (int i = 0; i < 18; ++i) CHECK(host.action(ft(62 + i), ray_result(1, i)) == "PAUSE");
    // The last trial jumps to time 4, past the next milestone (3): the rung halves (19 of 27
    // kept) and it waits for the others at milestone 3.
    const Outcome jump = host.report(ft(80), ray_result(4, 17));
    CHECK(jump.action == "PAUSE");
    CHECK(jump.detail["reason"] == "promoted, already at the next rung: waiting for the others");
    CHECK(bracket_state(hb, 0, 4)["trials"] < 27);
    CHECK(host.stopped().empty());
}

TEST_CASE("hyperband: Ray testRemove") {
    auto hb = scheduler_setup();
    FakeHost host(hb);
    host.add(0, 4); // s = 0 holds 4 of its 5
    CHECK(host.action(ft(0), ray_result(1, 5)) == "CONTINUE");
    CHECK(host.status(ft(1)) == "PENDING");
    // Ray's on_trial_remove of a pending trial: here the host ends it (on_trial_complete).
    host.complete(ft(1), std::nullopt);
    CHECK(bracket_state(hb, 0, 0)["trials"] == 3);
    host.add(ft(4));
    host.add(ft(5)); // both join s = 0 again: it had room
    CHECK(bracket_state(hb, 0, 0)["trials"] == 5);
    CHECK(describe(hb)["brackets"].size() == 1);
    host.complete(ft(5), std::nullopt); // where the trial is not running
    CHECK(bracket_state(hb, 0, 0)["trials"] == 4);
}

TEST_CASE("hyperband: Ray testFilterNoneBracket") {
    // max_t 20: bracket s = 3 would start at int(20 / 27) = 0, so Ray skips it ("Bracket too small").
    auto hb = make_hyperband({{"max_t", 20}});
    FakeHost host(hb);
    host.add(0, 100); // 22 trials a band (4 + 6 + 12): four full bands and 12 trials
    const Json state = describe(hb);
    CHECK(state["skipped_brackets"] == 4);
    CHECK(state["bands"] == 5);
    CHECK(state["bracket_count"] == 4 * 3 + 3);
    CHECK(host.choose() == ft(0)); // choose_trial_to_run still works
}

// Ray's _execute_delayed_actions (start every trial in trials_to_unpause) is resume_all here:
// choose_trial_to_run until it offers none.
TEST_CASE("hyperband: Ray testSmallMaxTStop and testSmallMaxTContinue") {
    for (const bool stop_last_trials : {true, false}) {
        INFO("stop_last_trials " << stop_last_trials);
        auto hb = make_hyperband({{"max_t", 8}, {"reduction_factor", 2}, {"stop_last_trials", stop_last_trials}});
        FakeHost host(hb);
        host.add(0, 8); // s = 0: ft_0000-0003 (milestone 8); s = 1: ft_0004-0007 (milestone 4, then 8)
        const auto result = [](int t, int reward) {
            return Json{{"training_iteration", t}, {"episode_reward_mean", reward}};
        };
        // The first bracket does not halve.
        for (int i = 0; i < 4; ++i) CHECK(host.action(ft(i), result(4, 10 * (i + 1))) == "CONTINUE");
        // The second halves after 4 steps.
        for (int i = 4; i < 8; ++i) host.report(ft(i), result(4, 10 * (i - 3)));
        host.resume_all();
        CHECK(host.status(ft(4)) == "TERMINATED");
        CHECK(host.status(ft(5)) == "TERMINATED");
        CHECK(host.status(ft(6)) == "RUNNING");
        CHECK(host.status(ft(7)) == "RUNNING");
        // The first bracket at max_t: terminated, or running on without stop_last_trials.
        for (int i = 0; i < 4; ++i) host.report(ft(i), result(8, 10 * (i + 1)));
        host.resume_all();
        for (int i = 0; i < 4; ++i) CHECK(host.status(ft(i)) == (stop_last_trials ? "TERMINATED" : "RUNNING"));
        // The second bracket at max_t.
        host.report(ft(6), result(8, 30));
        host.report(ft(7), result(8, 40));
        host.resume_all();
        CHECK(host.status(ft(6)) == (stop_last_trials ? "TERMINATED" : "RUNNING"));
        CHECK(host.status(ft(7)) == (stop_last_trials ? "TERMINATED" : "RUNNING"));
    }
}

TEST_CASE("hyperband: Ray testSmallMaxTOverstepStop and testSmallMaxTOverstepContinue") {
    for (const bool stop_last_trials : {true, false}) {
        INFO("stop_last_trials " << stop_last_trials);
        auto hb = make_hyperband({{"max_t", 8}, {"reduction_factor", 2}, {"stop_last_trials", stop_last_trials}});
        FakeHost host(hb);
        host.add(0, 8);
        const auto result = [](int t, int reward) {
            return Json{{"training_iteration", t}, {"episode_reward_mean", reward}};
        };
        for (int i = 0; i < 4; ++i) CHECK(host.action(ft(i), result(4, 10 * (i + 1))) == "CONTINUE");
        // The second bracket reports 8 at once: after its first halving it has already finished.
        for (int i = 4; i < 8; ++i) host.report(ft(i), result(8, 10 * (i - 3)));
        host.resume_all();
        CHECK(host.status(ft(4)) == "TERMINATED");
        CHECK(host.status(ft(5)) == "TERMINATED");
        CHECK(host.status(ft(6)) == (stop_last_trials ? "TERMINATED" : "RUNNING"));
        CHECK(host.status(ft(7)) == (stop_last_trials ? "TERMINATED" : "RUNNING"));
    }
}
