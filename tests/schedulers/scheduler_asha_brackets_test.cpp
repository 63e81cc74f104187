// ASHA with several brackets: Ray's rung layout per bracket, the seeded bracket choice, and
// decisions that stay within a trial's own bracket.
#include <algorithm>
#include <cmath>

#include <catch2/catch.hpp>

#include "scheduler_fixture.hpp"

using namespace tune::test;

namespace {

// Adds trial_ids one by one and returns the bracket each joined, read from describe_state.
std::vector<std::size_t> add_trials(tune::core::SchedulerAdapter &asha, const std::vector<std::string> &trial_ids) {
    std::vector<std::size_t> joined;
    for (const std::string &trial_id : trial_ids) {
        const Json before = describe(asha)["brackets"];
        asha.on_trial_add(trial_id, "{}");
        const Json after = describe(asha)["brackets"];
        for (std::size_t b = 0; b < after.size(); ++b)
            if (after[b]["trials"] != before[b]["trials"]) joined.push_back(b);
    }
    return joined;
}

std::vector<std::string> trial_names(const std::string &prefix, int count) {
    std::vector<std::string> names;
    for (int i = 0; i < count; ++i) names.push_back(prefix + std::to_string(i));
    return names;
}

} // namespace

TEST_CASE("ASHA brackets: bracket s has int(log(max_t/grace)/log(rf) - s + 1) rungs from grace * rf^s") {
    // log2(10) = 3.32: s=0 -> 4 rungs (1..8), s=1 -> 3 (2..8), s=2 -> 2 (4, 8), s=3 -> int(1.32) = 1 (8),
    // s=4 -> int(0.32) = 0: a bracket without rungs, which never stops anyone.
    auto asha = make_asha({{"max_t", 10}, {"reduction_factor", 2}, {"brackets", 5}});
    CHECK(milestones(asha) ==
          std::vector<std::vector<double>>{{8, 4, 2, 1}, {8, 4, 2}, {8, 4}, {8}, {}});
}

TEST_CASE("ASHA brackets: the bracket choice is reproducible with a seed") {
    const Json options{{"max_t", 10}, {"reduction_factor", 2}, {"brackets", 3}, {"seed", 11}};
    auto first = make_asha(options);
    auto second = make_asha(options);
    Json other_seed = options;
    other_seed["seed"] = 12;
    auto third = make_asha(other_seed);

    const auto names = trial_names("t", 40);
    const auto chosen = add_trials(first, names);
    REQUIRE(chosen.size() == names.size());
    CHECK(add_trials(second, names) == chosen);
    CHECK(add_trials(third, names) != chosen);
    CHECK(std::count(chosen.begin(), chosen.end(), chosen.front()) < static_cast<long>(chosen.size()));
}

TEST_CASE("ASHA brackets: trials spread with probabilities proportional to e^(rungs - most rungs)") {
    // Rungs per bracket 4, 3, 2: weights 1, e^-1, e^-2, i.e. 0.665, 0.245, 0.090.
    auto asha = make_asha({{"max_t", 10}, {"reduction_factor", 2}, {"brackets", 3}, {"seed", 3}});
    const int trials = 3000;
    for (const std::string &trial_id : trial_names("t", trials)) asha.on_trial_add(trial_id, "{}");
    const Json brackets = describe(asha)["brackets"];
    const double total = 1 + std::exp(-1.0) + std::exp(-2.0);
    const double expected[] = {1 / total, std::exp(-1.0) / total, std::exp(-2.0) / total};
    for (std::size_t b = 0; b < 3; ++b) {
        const double mean = trials * expected[b];
        const double sigma = std::sqrt(trials * expected[b] * (1 - expected[b]));
        INFO("bracket " << b);
        CHECK(std::abs(brackets[b]["trials"].get<double>() - mean) < 5 * sigma);
    }
}

TEST_CASE("ASHA brackets: each bracket judges trials on its own rungs") {
    // Two brackets: 8, 4, 2, 1 and 8, 4, 2.
    auto asha = make_asha({{"max_t", 10}, {"reduction_factor", 2}, {"brackets", 2}, {"seed", 5}});
    std::vector<std::string> in_bracket[2];
    int next = 0;
    while ((in_bracket[0].size() < 2 || in_bracket[1].size() < 2) && next < 100) {
        const std::string trial_id = "t" + std::to_string(next++);
        in_bracket[add_trials(asha, {trial_id}).at(0)].push_back(trial_id);
    }
    REQUIRE(in_bracket[0].size() >= 2);
    REQUIRE(in_bracket[1].size() >= 2);
    const std::string p0 = in_bracket[0][0], q0 = in_bracket[0][1], p1 = in_bracket[1][0], q1 = in_bracket[1][1];

    // Bracket 1 starts at 2: iteration 1 reaches no rung there.
    Outcome p1_at_1 = report(asha, p1, 1, 1);
    CHECK(p1_at_1.detail == Json{{"time", 1}, {"bracket", 1}, {"reason", "no new rung reached"}});
    CHECK(report(asha, p0, 1, 1).detail["rung"] == 1);
    CHECK(report(asha, p0, 2, 1).detail["bracket"] == 0);
    // Bracket 1's rung 2 is empty although bracket 0's holds p0's -1.
    Outcome p1_at_2 = report(asha, p1, 2, 5);
    CHECK(p1_at_2.action == "CONTINUE");
    CHECK(p1_at_2.detail["bracket"] == 1);
    CHECK(p1_at_2.detail["reason"] == "first trial at rung");
    // q1 is compared with p1's -5 only: -6 < -5.
    Outcome q1_at_2 = report(asha, q1, 2, 6);
    CHECK(q1_at_2.action == "STOP");
    CHECK(q1_at_2.detail["cutoff"] == -5);
    // q0 is compared with p0's -1 at bracket 0's rung 1: -2 < -1.
    Outcome q0_at_1 = report(asha, q0, 1, 2);
    CHECK(q0_at_1.action == "STOP");
    CHECK(q0_at_1.detail["bracket"] == 0);
}
