// PBT's quantiles and what each trial gets at a perturbation point (asynchronous variant):
// the upper quantile a checkpoint action, the lower quantile an exploit action naming an upper
// trial as donor, the middle nothing. Quantile sizes as Ray's _quantiles computes them.
#include <catch2/catch.hpp>

#include <cmath>

#include "scheduler_pbt_fixture.hpp"

using namespace tune::test;
using tune::core::SchedulerAdapter;

namespace {

std::string trial(int i) { return "t" + std::to_string(i); }

// n trials t0..t(n-1), all running; each reports loss i at iteration 1 (t0 is the best).
SchedulerAdapter scored_population(int n, double fraction) {
    SchedulerAdapter pbt = make_pbt(iteration_options(1, {{"quantile_fraction", fraction}}));
    for (int i = 0; i < n; ++i) start(pbt, trial(i), {{"lr", 0.5}});
    for (int i = 0; i < n; ++i) report(pbt, trial(i), 1, static_cast<double>(i));
    pbt.take_actions();
    return pbt;
}

std::vector<std::string> strings(const Json &list) { return list.get<std::vector<std::string>>(); }

} // namespace

TEST_CASE("pbt quantiles: sizes are ceil(n * quantile_fraction) at most floor(n / 2)") {
    for (int n : {1, 2, 3, 4, 5, 7, 8, 10}) {
        for (double fraction : {0.0, 0.1, 0.25, 0.4, 0.5}) {
            INFO("n " << n << ", quantile_fraction " << fraction);
            SchedulerAdapter pbt = scored_population(n, fraction);
            const Json state = describe(pbt);
            std::size_t size = static_cast<std::size_t>(std::ceil(n * fraction));
            if (static_cast<double>(size) > n / 2.0) size = static_cast<std::size_t>(n / 2);
            // Worst first in both lists: the lower quantile holds the highest losses.
            std::vector<std::string> lower, upper;
            for (std::size_t k = 0; k < size; ++k) lower.push_back(trial(n - 1 - static_cast<int>(k)));
            for (std::size_t k = size; k-- > 0;) upper.push_back(trial(static_cast<int>(k)));
            if (n <= 1) {
                lower.clear();
                upper.clear();
            } else if (size == 0) {
                // Python's trials[-0:] is the whole list: every scored trial is "upper".
                for (int i = n - 1; i >= 0; --i) upper.push_back(trial(i));
            }
            CHECK(strings(state["lower_quantile"]) == lower);
            CHECK(strings(state["upper_quantile"]) == upper);
            CHECK(state["scored"] == n);
        }
    }
}

TEST_CASE("pbt quantiles: upper trials are checkpointed and lower ones exploit an upper donor while the middle continues") {
    SchedulerAdapter pbt = scored_population(8, 0.25); // lower t7 t6, upper t1 t0
    REQUIRE(strings(describe(pbt)["upper_quantile"]) == std::vector<std::string>{"t1", "t0"});

    for (int i : {0, 1}) {
        const Outcome outcome = report(pbt, trial(i), 2, static_cast<double>(i));
        CHECK(outcome.action == "CONTINUE");
        CHECK(outcome.detail["reason"] == "upper quantile: checkpoint");
        CHECK(outcome.detail["quantile"] == "upper");
        CHECK(take(pbt) == std::vector<std::string>{"checkpoint " + trial(i)});
    }
    for (int i : {3, 4}) {
        const Outcome outcome = report(pbt, trial(i), 2, static_cast<double>(i));
        CHECK(outcome.action == "CONTINUE");
        CHECK(outcome.detail["reason"] == "not in a quantile");
        CHECK(outcome.detail["quantile"] == "middle");
        CHECK(pbt.take_actions().empty());
    }
    for (int i : {7, 6}) {
        const Outcome outcome = report(pbt, trial(i), 2, static_cast<double>(i));
        CHECK(outcome.action == "CONTINUE"); // the exploit action replaces the answer
        CHECK(outcome.detail["reason"] == "lower quantile: exploit");
        CHECK(outcome.detail["quantile"] == "lower");
        const std::vector<SchedulerAction> actions = pbt.take_actions();
        REQUIRE(actions.size() == 1);
        CHECK(actions[0].kind == SchedulerAction::Kind::Exploit);
        CHECK(actions[0].trial_id == trial(i));
        CHECK((actions[0].donor_id == "t0" || actions[0].donor_id == "t1"));
        CHECK(outcome.detail["donor"] == actions[0].donor_id);
        // The exploited trial waits, PAUSED, to be started again on the donor's clock.
        const Json exploited = member(pbt, trial(i));
        CHECK(exploited["status"] == "PAUSED");
        CHECK(exploited["last_train_time"] == 2);
        CHECK(exploited["last_perturbation_time"] == 2);
    }
    const Json state = describe(pbt);
    CHECK(state["num_checkpoints"].get<int>() >= 2);
    CHECK(state["num_perturbations"] == 2);
    CHECK(strings(state["lower_quantile"]) == std::vector<std::string>{"t7", "t6"});
    CHECK(state["lower_bound"] == 6); // the best loss in the lower quantile
    CHECK(state["upper_bound"] == 1); // the worst loss in the upper quantile
}

TEST_CASE("pbt quantiles: a lower trial whose donor was never checkpointed keeps going as in Ray") {
    SchedulerAdapter pbt = make_pbt(iteration_options(1));
    start(pbt, "best", {{"lr", 0.5}});
    start(pbt, "worst", {{"lr", 0.5}});
    // Alone with a score, the best trial is in no quantile: not checkpointed.
    CHECK(report(pbt, "best", 1, 1.0).detail["reason"] == "too few scored trials");
    const Outcome outcome = report(pbt, "worst", 1, 5.0);
    CHECK(outcome.action == "CONTINUE");
    CHECK(outcome.detail["reason"] == "lower quantile: donor has no checkpoint");
    CHECK(outcome.detail["donor"] == "best");
    CHECK(pbt.take_actions().empty());
    CHECK(describe(pbt)["num_perturbations"] == 0);
}

TEST_CASE("pbt quantiles: a quantile_fraction of 0 checkpoints every trial and exploits none") {
    SchedulerAdapter pbt = scored_population(4, 0.0);
    for (int i = 3; i >= 0; --i) {
        const Outcome outcome = report(pbt, trial(i), 2, static_cast<double>(i));
        CHECK(outcome.detail["reason"] == "upper quantile: checkpoint");
        CHECK(take(pbt) == std::vector<std::string>{"checkpoint " + trial(i)});
    }
    CHECK(describe(pbt)["num_perturbations"] == 0);
}

TEST_CASE("pbt quantiles: mode max ranks the highest metric best and a NaN metric worst") {
    SchedulerAdapter pbt = make_pbt(iteration_options(1, {{"quantile_fraction", 0.25}}), "accuracy", "max");
    for (const char *id : {"a", "b", "c", "d"}) start(pbt, id, {{"lr", 0.5}});
    report(pbt, "a", 1, 0.9, "accuracy");
    report(pbt, "b", 1, nullptr, "accuracy"); // NaN
    report(pbt, "c", 1, 0.1, "accuracy");
    report(pbt, "d", 1, 0.5, "accuracy");
    const Json state = describe(pbt);
    CHECK(strings(state["lower_quantile"]) == std::vector<std::string>{"b"});
    CHECK(strings(state["upper_quantile"]) == std::vector<std::string>{"a"});
    CHECK(state["population"]["b"]["score"].is_null());
    CHECK(state["population"]["a"]["score"] == 0.9);
    CHECK(state["upper_bound"] == 0.9);
}

TEST_CASE("pbt quantiles: ended trials leave the population") {
    SchedulerAdapter pbt = scored_population(4, 0.25); // lower t3, upper t0
    pbt.on_trial_complete("t0", Json{{"training_iteration", 1}, {"loss", 0.0}}.dump());
    pbt.on_trial_error("t3");
    const Json state = describe(pbt);
    CHECK(state["trials"] == 2);
    CHECK(state["scored"] == 2);
    CHECK(strings(state["lower_quantile"]) == std::vector<std::string>{"t2"});
    CHECK(strings(state["upper_quantile"]) == std::vector<std::string>{"t1"});
    auto [status, message] = call_error([&] { report(pbt, "t0", 2, 0.0); });
    CHECK(status == TUNE_ERROR_STATE);
    CHECK_THAT(message, Catch::Contains("'t0'"));
}
