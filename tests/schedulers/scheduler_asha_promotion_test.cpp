// ASHA's "promotion" variant (the ASHA paper's scheme): a trial reaching a rung is recorded;
// it continues (is promoted) if it is in the top floor(n / rf) of the n trials recorded there,
// else it pauses. choose_trial_to_run resumes a paused trial once it has become promotable,
// before any PENDING trial. Rewards are -loss (min mode) below.
#include <catch2/catch.hpp>

#include "scheduler_fixture.hpp"

using namespace tune::test;

namespace {

const Json promotion_options{{"max_t", 10}, {"reduction_factor", 2}, {"variant", "promotion"}}; // rungs 8, 4, 2, 1

} // namespace

TEST_CASE("ASHA promotion: pause below the rung's top, promote through choose_trial_to_run") {
    auto asha = make_asha(promotion_options);
    for (auto id : {"a", "b", "c", "d", "e", "f", "g"}) asha.on_trial_add(id, "{}");

    // Rung 1, n = 1: the top is floor(1/2) = 0 trials, so the first trial pauses.
    Outcome a = report(asha, "a", 1, 4);
    CHECK(a.action == "PAUSE");
    CHECK(a.detail == Json{{"time", 1}, {"bracket", 0}, {"rung", 1}, {"recorded", 1}, {"cutoff", nullptr},
                           {"value", -4}, {"rank", 1}, {"top", 0}, {"reason", "paused: not in the rung's top"}});
    // n = 2, top 1: b (-2) beats a (-4) and is promoted at once.
    Outcome b = report(asha, "b", 1, 2);
    CHECK(b.action == "CONTINUE");
    CHECK(b.detail["rank"] == 1);
    CHECK(b.detail["cutoff"] == -2); // the worst reward still in the top
    // a is ranked 2nd of 2, not in the top 1: the PENDING trial runs instead.
    CHECK(choose(asha, {{"a", "PAUSED"}, {"c", "PENDING"}}) == "c");
    // n = 3, top 1 (b): c (-3) pauses. n = 4, top 2: d (-1) is first and continues.
    CHECK(report(asha, "c", 1, 3).action == "PAUSE");
    CHECK(report(asha, "d", 1, 1).action == "CONTINUE");
    // Ranking d, b, c, a with a top of 2: c (3rd) is not promotable yet, and paused trials
    // that are not promotable wait.
    CHECK(choose(asha, {{"a", "PAUSED"}, {"c", "PAUSED"}}) == std::nullopt);
    // n = 5, top 2: e (-5) pauses. n = 6, top 3: f (-6) pauses, and c (3rd) is now in the top.
    CHECK(report(asha, "e", 1, 5).action == "PAUSE");
    CHECK(report(asha, "f", 1, 6).action == "PAUSE");
    // A promotable paused trial goes before a PENDING one; it is promoted once only.
    CHECK(choose(asha, {{"g", "PENDING"}, {"a", "PAUSED"}, {"c", "PAUSED"}, {"e", "PAUSED"}}) == "c");
    CHECK(choose(asha, {{"g", "PENDING"}, {"a", "PAUSED"}, {"e", "PAUSED"}, {"f", "PAUSED"}}) == "g");
    // A trial the host paused on its own is not waiting for a promotion: it may resume.
    CHECK(choose(asha, {{"a", "PAUSED"}, {"x", "PAUSED"}}) == "x");

    // c runs on to rung 2 and, alone there (top 0), pauses. b (-1.5) then leads rung 2 and
    // continues; so does d (-0.5) with n = 3, top 1.
    CHECK(report(asha, "c", 2, 2.5).action == "PAUSE");
    CHECK(report(asha, "b", 2, 1.5).action == "CONTINUE");
    Outcome d = report(asha, "d", 2, 0.5);
    CHECK(d.action == "CONTINUE");
    CHECK(d.detail["rung"] == 2);
    CHECK(choose(asha, {{"c", "PAUSED"}}) == std::nullopt); // c is 3rd of 3 at rung 2
    CHECK(report(asha, "d", 3, 0.4).detail["reason"] == "no new rung reached");
    CHECK(report(asha, "d", 10, 0.3).detail["reason"] == "max_t reached");

    // Rung 1: 6 recorded, top 3 (d, b, c: all promoted), the 3rd best is c's loss 3.
    // Rung 2: 3 recorded, top 1 (d), b and d promoted. Waiting: a, c, e, f.
    const Json state = describe(asha);
    CHECK(state["variant"] == "promotion");
    CHECK(state["awaiting_promotion"] == 4);
    CHECK(rung_state(asha, 1) == Json{{"milestone", 1}, {"recorded", 6}, {"cutoff", 3}, {"top", 3}, {"promoted", 3}});
    CHECK(rung_state(asha, 2) ==
          Json{{"milestone", 2}, {"recorded", 3}, {"cutoff", 0.5}, {"top", 1}, {"promoted", 2}});
}

TEST_CASE("ASHA promotion: the highest rung is promoted from first") {
    auto asha = make_asha(promotion_options);
    for (auto id : {"p", "q", "r", "w"}) asha.on_trial_add(id, "{}");
    CHECK(report(asha, "p", 1, 1).action == "PAUSE"); // rung 1: top 0
    CHECK(report(asha, "q", 1, 2).action == "PAUSE"); // rung 1: top 1 is p
    CHECK(choose(asha, {{"q", "PAUSED"}, {"p", "PAUSED"}}) == "p");
    CHECK(report(asha, "p", 2, 1).action == "PAUSE"); // rung 2: top 0
    CHECK(report(asha, "r", 1, 3).action == "PAUSE"); // rung 1: n 3, top 1 is p
    // w reports first at iteration 2: it enters at rung 2, whose top 1 is p.
    CHECK(report(asha, "w", 2, 5).action == "PAUSE");
    // Now p is promotable from rung 2 and q is not (rung 1: n 3, top 1 is p). s lifts rung 1's
    // top to 2 so that q becomes promotable too.
    asha.on_trial_add("s", "{}");
    CHECK(report(asha, "s", 1, 9).action == "PAUSE"); // rung 1: n 4, top 2: p, q
    CHECK(choose(asha, {{"q", "PAUSED"}, {"r", "PAUSED"}, {"p", "PAUSED"}}) == "p"); // rung 2 first
    CHECK(choose(asha, {{"q", "PAUSED"}, {"r", "PAUSED"}, {"w", "PAUSED"}}) == "q");
}

TEST_CASE("ASHA promotion: a NaN reward is never promoted") {
    auto asha = make_asha(promotion_options);
    for (auto id : {"a", "b", "c"}) asha.on_trial_add(id, "{}");
    CHECK(report(asha, "a", 1, nullptr).action == "PAUSE");
    CHECK(report(asha, "b", 1, nullptr).action == "PAUSE"); // n 2, top 1, but NaN ranks last
    CHECK(choose(asha, {{"a", "PAUSED"}, {"b", "PAUSED"}}) == std::nullopt);
    CHECK(report(asha, "c", 1, 7).action == "CONTINUE"); // any number beats NaN
}

TEST_CASE("ASHA promotion: on_trial_complete records without promoting") {
    auto asha = make_asha(promotion_options);
    for (auto id : {"a", "b"}) asha.on_trial_add(id, "{}");
    asha.on_trial_complete("a", Json{{"training_iteration", 1}, {"loss", 1}}.dump());
    CHECK(rung_state(asha, 1)["recorded"] == 1);
    CHECK(rung_state(asha, 1)["promoted"] == 0);
    CHECK(report(asha, "b", 1, 2).action == "PAUSE"); // n 2, top 1 is a
}

TEST_CASE("ASHA promotion: the worked example of docs/schedulers.md, where a tie goes to the earlier trial") {
    auto asha = make_asha(promotion_options);
    for (auto id : {"a", "b", "c", "d", "e"}) asha.on_trial_add(id, "{}");
    CHECK(report(asha, "a", 1, 4).action == "PAUSE");    // a -4; top 0
    CHECK(report(asha, "b", 1, 2).action == "CONTINUE"); // b -2, a -4; top 1: b
    CHECK(report(asha, "c", 1, 6).action == "PAUSE");    // b, a, c; top 1: b
    Outcome d = report(asha, "d", 1, 4);                 // b -2, a -4, d -4, c -6; top 2: b, a
    CHECK(d.action == "PAUSE");
    CHECK(d.detail["rank"] == 3);
    CHECK(choose(asha, {{"a", "PAUSED"}, {"c", "PAUSED"}, {"d", "PAUSED"}, {"e", "PENDING"}}) == "a");
    CHECK(choose(asha, {{"c", "PAUSED"}, {"d", "PAUSED"}, {"e", "PENDING"}}) == "e");
}
