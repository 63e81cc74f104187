// The ray#37605 guard: a rung no trial can complete any more completes with the trials it has.
// Ray's HyperBandScheduler halves a bracket only when a result or a trial's end finds every
// live trial at the milestone, and a trial's end only until the bracket's first halving
// (_Bracket.is_being_processed is never cleared). Trials left paused at a rung then wait for
// results that cannot come. Here choose_trial_to_run completes such a rung: called with no
// PENDING candidate (the host creates trials only while slots are free, so none will join a
// bracket now) and every live trial of a bracket a PAUSED candidate (none runs, none reports).
//
// max_t 8, reduction_factor 2: brackets s = 0 .. 3 of 4, 4, 6 and 8 trials, first milestones
// 8, 4, 2 and 1. Fourteen trials fill s = 0 (ft_0000-0003), s = 1 (ft_0004-0007) and s = 2
// (ft_0008-0013: milestones 2, 4, 8).
#include <catch2/catch.hpp>

#include "scheduler_hyperband_fixture.hpp"

using namespace tune::test;
using tune::core::SchedulerAdapter;

namespace {

const char *const stalled = "stalled rung: no trial of the bracket runs or can start";

Json loss_at(double t, double loss) { return Json{{"training_iteration", t}, {"loss", loss}}; }

SchedulerAdapter make_small(Json options = Json::object()) {
    options["max_t"] = 8;
    options["reduction_factor"] = 2;
    return make_hyperband(options, "loss", "min");
}

// Starts all 14 trials; those of s = 0 and s = 1 report once and run on. Bracket s = 2 then
// reaches its first milestone (2) with losses 0 .. 5: ft_0008-0010 go on to milestone 4,
// ft_0013 (the reporter) stops and ft_0011-0012 are stopped.
void first_halving(FakeHost &host) {
    host.add(0, 14);
    for (int i = 0; i < 14; ++i) REQUIRE(host.choose() == ft(i));
    for (int i = 0; i < 8; ++i) REQUIRE(host.action(ft(i), loss_at(1, 1)) == "CONTINUE");
    for (int i = 8; i < 13; ++i) REQUIRE(host.action(ft(i), loss_at(2, i - 8)) == "PAUSE");
    REQUIRE(host.action(ft(13), loss_at(2, 5)) == "STOP");
    REQUIRE(host.take_stopped() == std::vector<std::string>{ft(12), ft(11)});
    REQUIRE(host.resume_all() == std::vector<std::string>{ft(8), ft(9), ft(10)});
}

} // namespace

TEST_CASE("hyperband stall guard: a trial that ends after the first halving leaves a rung that completes") {
    auto hb = make_small();
    FakeHost host(hb);
    first_halving(host);
    CHECK(host.action(ft(8), loss_at(4, 0)) == "PAUSE");
    CHECK(host.action(ft(9), loss_at(4, 1)) == "PAUSE");
    host.fail(ft(10)); // Ray: no halving after the bracket's first; ft_0008 and ft_0009 would wait for ever
    Json bracket = bracket_state(hb, 0, 2);
    CHECK(bracket["trials"] == 2);
    CHECK(bracket["reached"] == 2);
    CHECK(bracket["paused"] == 2);
    CHECK(bracket["milestone"] == 4);
    // Nothing pending, the bracket's trials all paused: the rung completes (2 of 3 kept).
    CHECK(host.choose() == ft(8));
    CHECK(host.take_stopped().empty());
    bracket = bracket_state(hb, 0, 2);
    CHECK(bracket["milestone"] == 8);
    CHECK(bracket["halvings_left"] == 0);
    CHECK(host.choose() == ft(9));
    // At max_t the last rung finishes the bracket as usual.
    CHECK(host.action(ft(9), loss_at(8, 1)) == "PAUSE");
    CHECK(host.action(ft(8), loss_at(8, 0)) == "STOP");
    CHECK(host.take_stopped() == std::vector<std::string>{ft(9)});
}

TEST_CASE("hyperband stall guard: a pending trial may still join the bracket so its rung waits") {
    auto hb = make_small();
    FakeHost host(hb);
    first_halving(host);
    CHECK(host.action(ft(8), loss_at(4, 0)) == "PAUSE");
    CHECK(host.action(ft(9), loss_at(4, 1)) == "PAUSE");
    host.fail(ft(10));
    // A new trial joins the halved bracket (it has room for 3) and must reach the milestone too.
    host.add(ft(14));
    CHECK(bracket_state(hb, 0, 2)["trials"] == 3);
    CHECK(host.choose() == ft(14));
    CHECK(bracket_state(hb, 0, 2)["milestone"] == 4); // not completed
    CHECK(host.choose() == std::nullopt);             // ft_0014 of the bracket runs: no guard
    CHECK(host.action(ft(14), loss_at(4, 2)) == "STOP"); // completes the rung: 2 of 3 kept
    CHECK(host.resume_all() == std::vector<std::string>{ft(8), ft(9)});
}

TEST_CASE("hyperband stall guard: winners already past the next milestone halve again") {
    // time_total_s jumps: the first halving's winners (5 >= 4) stay paused, and nothing else
    // of the bracket can report. Ray would wait for ever; the guard halves them at milestone 4.
    auto hb = make_small({{"time_attr", "time_total_s"}});
    FakeHost host(hb);
    host.add(0, 14);
    for (int i = 0; i < 14; ++i) REQUIRE(host.choose() == ft(i));
    const auto at = [](double t, double loss) { return Json{{"time_total_s", t}, {"loss", loss}}; };
    for (int i = 0; i < 8; ++i) REQUIRE(host.action(ft(i), at(1, 1)) == "CONTINUE");
    for (int i = 8; i < 13; ++i) REQUIRE(host.action(ft(i), at(5, i - 8)) == "PAUSE");
    REQUIRE(host.action(ft(13), at(5, 5)) == "STOP");
    REQUIRE(host.take_stopped() == std::vector<std::string>{ft(12), ft(11)});
    CHECK(bracket_state(hb, 0, 2)["paused"] == 3);
    CHECK(host.choose() == ft(8)); // the rung at 4 completes: ft_0010 stops, ft_0008-0009 go on to 8
    CHECK(host.take_stopped() == std::vector<std::string>{ft(10)});
    const Json &detail = host.stop_details().back();
    CHECK(detail["trigger"] == stalled);
    CHECK(detail["rung"] == 4);
    CHECK(detail["next_rung"] == 8);
    CHECK(detail["rank"] == 3);
    CHECK(host.choose() == ft(9));
}

TEST_CASE("hyperband stall guard: a finished bracket whose last trial ended stops its paused trials") {
    auto hb = make_small();
    FakeHost host(hb);
    host.add(0, 4); // s = 0: milestone 8 = max_t, no halving
    for (int i = 0; i < 4; ++i) REQUIRE(host.choose() == ft(i));
    for (int i = 0; i < 3; ++i) CHECK(host.action(ft(i), loss_at(8, i)) == "PAUSE");
    host.fail(ft(3)); // Ray: the bracket is finished, nothing processes it, the trials stay paused
    CHECK(bracket_state(hb, 0, 0)["paused"] == 3);
    CHECK(host.choose() == std::nullopt); // the rung completes: the bracket is finished
    CHECK(host.stopped() == std::vector<std::string>{ft(0), ft(1), ft(2)});
    CHECK(host.stop_details()[0]["reason"] == "bracket finished");
    CHECK(host.stop_details()[0]["trigger"] == stalled);
    CHECK(describe(hb)["trials"] == 0);
}

TEST_CASE("hyperband stall guard: a running trial of the bracket keeps its rung waiting") {
    auto hb = make_small();
    FakeHost host(hb);
    host.add(0, 4);
    for (int i = 0; i < 4; ++i) REQUIRE(host.choose() == ft(i));
    CHECK(host.action(ft(0), loss_at(8, 0)) == "PAUSE");
    CHECK(host.action(ft(1), loss_at(8, 1)) == "PAUSE");
    CHECK(host.action(ft(2), loss_at(3, 2)) == "CONTINUE");
    host.fail(ft(3));
    CHECK(host.choose() == std::nullopt); // ft_0002 runs and will report
    CHECK(host.stopped().empty());
    CHECK(host.action(ft(2), loss_at(8, 2)) == "STOP");
    CHECK(host.stopped() == std::vector<std::string>{ft(0), ft(1)});
}

TEST_CASE("hyperband stall guard: a trial the host retries is a pending candidate again") {
    // The engine retries a failed trial from its checkpoint without telling the scheduler: it
    // comes back among the candidates as PENDING, and the candidates' statuses are the truth.
    auto hb = make_small();
    FakeHost host(hb);
    host.add(0, 8); // s = 1: ft_0004-0007, milestone 4
    for (int i = 0; i < 8; ++i) REQUIRE(host.choose() == ft(i));
    for (int i = 0; i < 4; ++i) REQUIRE(host.action(ft(i), loss_at(1, 1)) == "CONTINUE");
    for (int i = 4; i < 7; ++i) CHECK(host.action(ft(i), loss_at(4, i)) == "PAUSE");
    CHECK(host.action(ft(7), loss_at(1, 7)) == "CONTINUE");
    host.retry(ft(7));
    CHECK(host.choose() == ft(7)); // pending: chosen, and no rung is completed early
    CHECK(bracket_state(hb, 0, 1)["milestone"] == 4);
    CHECK(host.action(ft(7), loss_at(4, 7)) == "STOP"); // the worst of the four at milestone 4
    CHECK(host.stopped() == std::vector<std::string>{ft(6)});
    CHECK(host.resume_all() == std::vector<std::string>{ft(4), ft(5)});
}

TEST_CASE("hyperband: a host that does not take actions still ends the trials stopped while paused") {
    // A host before ABI 1.2 never takes the stop actions: the stopped trials stay PAUSED
    // candidates. They are resumed only when nothing else can be chosen, and stopped at their
    // next result.
    auto hb = make_small();
    const auto candidates = [](std::initializer_list<const char *> paused) {
        std::vector<std::pair<std::string, std::string>> all;
        for (const char *id : paused) all.emplace_back(id, "PAUSED");
        return all;
    };
    for (int i = 0; i < 8; ++i) hb.on_trial_add(ft(i), "{}");
    for (int i = 0; i < 8; ++i) REQUIRE(choose(hb, {{ft(i), "PENDING"}}) == ft(i));
    for (int i = 4; i < 7; ++i) REQUIRE(report(hb, ft(i), 4, 10 - i).action == "PAUSE");
    REQUIRE(report(hb, ft(7), 4, 3).action == "CONTINUE"); // the best; ft_0004 and ft_0005 lose
    CHECK(choose(hb, candidates({"ft_0004", "ft_0005", "ft_0006"})) == ft(6)); // promoted first
    CHECK(choose(hb, candidates({"ft_0004", "ft_0005"})) == ft(4));           // then the stopped ones
    const Outcome stopped = report(hb, ft(4), 5, 4);
    CHECK(stopped.action == "STOP");
    CHECK(stopped.detail["reason"] == "stopped by a successive halving while paused");
    hb.on_trial_complete(ft(4), std::nullopt);
    const auto taken = hb.take_actions(); // what the host never took
    REQUIRE(taken.size() == 2);
    CHECK(taken[0].trial_id == ft(4));
    CHECK(taken[1].trial_id == ft(5));
}
