// The asynchronous PBT (Ray's default): when a trial is perturbed (burn_in_period,
// perturbation_interval), require_attrs, yielding to waiting trials, choose_trial_to_run's
// fair share, decision points, and calls in the wrong order.
#include <catch2/catch.hpp>

#include "scheduler_pbt_fixture.hpp"

using namespace tune::test;
using tune::core::SchedulerAdapter;

TEST_CASE("pbt async: nothing happens before burn_in_period and between perturbation intervals") {
    SchedulerAdapter pbt = make_pbt(iteration_options(3, {{"burn_in_period", 5}}));
    start(pbt, "a", {{"lr", 0.5}});
    start(pbt, "b", {{"lr", 0.5}});
    for (int i = 1; i < 5; ++i) {
        const Outcome outcome = report(pbt, "a", i, 1.0);
        CHECK(outcome.action == "CONTINUE");
        CHECK(outcome.detail == Json{{"time", i}, {"reason", "burn-in period"}});
    }
    CHECK(member(pbt, "a")["score"].is_null());
    // 5 >= burn-in and 5 - 0 >= 3: a perturbation point; its score is recorded.
    CHECK(report(pbt, "a", 5, 1.0).detail["reason"] == "too few scored trials");
    CHECK(member(pbt, "a")["score"] == 1);
    CHECK(member(pbt, "a")["last_perturbation_time"] == 5);
    for (int i : {6, 7}) {
        const Outcome outcome = report(pbt, "a", i, 1.0);
        CHECK(outcome.detail == Json{{"time", i}, {"reason", "perturbation interval not reached"}});
    }
    CHECK(report(pbt, "a", 8, 1.0).detail.contains("quantile"));
    CHECK(member(pbt, "a")["last_perturbation_time"] == 8);
}

TEST_CASE("pbt async: time_attr defaults to time_total_s and perturbation_interval to 60") {
    SchedulerAdapter pbt = make_pbt({{"hyperparam_mutations", {{"lr", {0.1, 0.01}}}}});
    start(pbt, "a", {{"lr", 0.1}});
    CHECK(send_result(pbt, "a", {{"time_total_s", 59.9}, {"loss", 1.0}}).detail["reason"] ==
          "perturbation interval not reached");
    CHECK(send_result(pbt, "a", {{"time_total_s", 60.0}, {"loss", 1.0}}).detail["reason"] ==
          "too few scored trials");
}

TEST_CASE("pbt async: require_attrs makes a result without time_attr or metric an error") {
    SchedulerAdapter strict = make_pbt(iteration_options(1));
    start(strict, "a", {{"lr", 0.5}});
    auto [status, message] = call_error([&] { send_result(strict, "a", {{"loss", 1.0}}); });
    CHECK(status == TUNE_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(message, Catch::Contains("time_attr 'training_iteration'") && Catch::Contains("require_attrs"));
    std::tie(status, message) = call_error([&] { send_result(strict, "a", {{"training_iteration", 1}}); });
    CHECK(status == TUNE_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(message, Catch::Contains("metric 'loss'") && Catch::Contains("'a'"));

    SchedulerAdapter lenient = make_pbt(iteration_options(1, {{"require_attrs", false}}));
    start(lenient, "a", {{"lr", 0.5}});
    Outcome outcome = send_result(lenient, "a", {{"loss", 1.0}});
    CHECK(outcome.action == "CONTINUE");
    CHECK(outcome.detail == Json{{"reason", "time_attr missing"}});
    outcome = send_result(lenient, "a", {{"training_iteration", 1}});
    CHECK(outcome.action == "CONTINUE");
    CHECK(outcome.detail == Json{{"reason", "metric missing"}});
}

TEST_CASE("pbt async: a trial at a perturbation point yields to a PENDING or PAUSED trial") {
    SchedulerAdapter pbt = make_pbt(iteration_options(2));
    start(pbt, "a", {{"lr", 0.5}});
    start(pbt, "b", {{"lr", 0.5}});
    CHECK(report(pbt, "a", 2, 1.0).action == "CONTINUE"); // all run
    pbt.on_trial_add("c", R"({"lr": 0.5})");               // PENDING
    CHECK(report(pbt, "a", 3, 1.0).action == "CONTINUE");   // not a perturbation point
    Outcome outcome = report(pbt, "a", 4, 1.0);
    CHECK(outcome.action == "PAUSE");
    CHECK(outcome.detail["waiting"] == 1);
    CHECK(outcome.detail["reason"] == "too few scored trials; yielding to waiting trials");
    CHECK(member(pbt, "a")["status"] == "PAUSED");
    // c runs; a is PAUSED, so b yields too.
    REQUIRE(choose(pbt, {{"a", "PAUSED"}, {"c", "PENDING"}}) == "c");
    outcome = report(pbt, "b", 2, 2.0);
    CHECK(outcome.action == "PAUSE");
    // a was alone at its perturbations, so never checkpointed: b cannot clone it.
    CHECK(outcome.detail["reason"] == "lower quantile: donor has no checkpoint; yielding to waiting trials");
}

TEST_CASE("pbt async: a host's retried trial offered as PENDING counts as waiting") {
    SchedulerAdapter pbt = make_pbt(iteration_options(1));
    start(pbt, "a", {{"lr", 0.5}});
    start(pbt, "b", {{"lr", 0.5}});
    start(pbt, "c", {{"lr", 0.5}});
    // b failed and is retried: the host offers it again without telling the scheduler. The
    // scheduler picks nothing else, so choose returns it; then it is running again.
    REQUIRE(choose(pbt, {{"b", "PENDING"}}) == "b");
    CHECK(member(pbt, "b")["status"] == "RUNNING");
    // Offered but not chosen (no resources for it now): it waits, and a yields to it.
    pbt.on_trial_add("d", R"({"lr": 0.5})");
    REQUIRE(choose(pbt, {{"b", "PENDING"}, {"d", "PENDING"}}) == "b");
    CHECK(member(pbt, "d")["status"] == "PENDING");
    CHECK(report(pbt, "a", 1, 1.0).action == "PAUSE");
}

TEST_CASE("pbt async: choose_trial_to_run picks the least trained trial and the first added among equals") {
    SchedulerAdapter pbt = make_pbt(iteration_options(1));
    for (const char *id : {"a", "b", "c", "d"}) start(pbt, id, {{"lr", 0.5}});
    report(pbt, "a", 5, 1.0);
    report(pbt, "b", 3, 1.0);
    report(pbt, "c", 4, 1.0);
    report(pbt, "d", 3, 1.0);
    CHECK(choose(pbt, {{"a", "PAUSED"}, {"b", "PAUSED"}, {"c", "PAUSED"}, {"d", "PAUSED"}}) == "b");
    CHECK(choose(pbt, {{"d", "PAUSED"}, {"a", "PAUSED"}, {"c", "PAUSED"}}) == "d");
    CHECK(choose(pbt, {{"a", "PAUSED"}, {"c", "PAUSED"}}) == "c");
    pbt.on_trial_add("e", R"({"lr": 0.5})");
    CHECK(choose(pbt, {{"a", "PAUSED"}, {"e", "PENDING"}}) == "e"); // last_train_time 0
    CHECK(choose(pbt, {}) == std::nullopt);
}

TEST_CASE("pbt async: next_decision_point promises CONTINUE up to the next perturbation point") {
    SchedulerAdapter pbt = make_pbt(iteration_options(4, {{"burn_in_period", 6}}));
    start(pbt, "a", {{"lr", 0.5}});
    start(pbt, "b", {{"lr", 0.5}});
    report(pbt, "a", 1, 1.0);
    CHECK(pbt.next_decision_point("a", 1) == 6); // max(burn-in 6, 0 + 4)
    report(pbt, "a", 6, 1.0);                     // perturbed at 6
    CHECK(pbt.next_decision_point("a", 6) == 10);
    CHECK(pbt.next_decision_point("a", 9) == 10);
    CHECK(pbt.next_decision_point("a", 10) == 11); // past due: the next result may decide

    SchedulerAdapter fractional = make_pbt(iteration_options(2.5));
    start(fractional, "a", {{"lr", 0.5}});
    CHECK(fractional.next_decision_point("a", 1) == 3); // ceil(0 + 2.5)

    SchedulerAdapter timed = make_pbt({{"hyperparam_mutations", {{"lr", {0.1, 0.01}}}}});
    start(timed, "a", {{"lr", 0.1}});
    CHECK(timed.next_decision_point("a", 1) == 2); // time_total_s: no foresight in iterations
}

TEST_CASE("pbt async: a trial just exploited is promised nothing") {
    SchedulerAdapter pbt = explore_setup({{"hyperparam_mutations", {{"lr", {{"uniform", {0.0, 1.0}}}}}}},
                                         {{"lr", 0.5}}, {{"lr", 0.5}});
    explore_samples(pbt, 1);
    CHECK(member(pbt, "low")["status"] == "PAUSED");
    CHECK(pbt.next_decision_point("low", 2) == 3);
}

TEST_CASE("pbt async: an exploited trial's config is the one later exploits and explores start from") {
    // "low" takes donor's config; when "low" is later a donor, its new config is explored.
    SchedulerAdapter pbt = make_pbt(iteration_options(1, {{"hyperparam_mutations", {{"v", {1, 2, 3, 4, 5}}}},
                                                          {"resample_probability", 0.0}}));
    start(pbt, "a", {{"v", 1}});
    start(pbt, "b", {{"v", 5}});
    report(pbt, "a", 1, 9.0);
    report(pbt, "b", 1, 1.0); // upper: checkpointed
    pbt.take_actions();
    report(pbt, "a", 2, 9.0); // exploits b: v 4 or 5
    const std::vector<SchedulerAction> first = exploits(pbt.take_actions());
    REQUIRE(first.size() == 1);
    const int v = first[0].config["v"].get<int>();
    CHECK((v == 4 || v == 5));
    REQUIRE(choose(pbt, {{"a", "PAUSED"}}) == "a");
    // Now a is the best and b the worst: b exploits a and explores a's new v.
    report(pbt, "a", 3, 0.5);
    pbt.take_actions();
    report(pbt, "b", 3, 9.0);
    const std::vector<SchedulerAction> second = exploits(pbt.take_actions());
    REQUIRE(second.size() == 1);
    CHECK(second[0].donor_id == "a");
    CHECK(detail_of(second[0])["old_params"] == Json{{"v", v}});
}

TEST_CASE("pbt async: calls in the wrong order are state errors and a config without a mutated key a config error") {
    SECTION("before setup") {
        SchedulerAdapter pbt = load_pbt();
        auto [status, message] = call_error([&] { pbt.on_trial_add("a", R"({"lr": 0.5})"); });
        CHECK(status == TUNE_ERROR_STATE);
        CHECK_THAT(message, Catch::Contains("setup"));
    }
    SECTION("unknown, ended and twice-added trials") {
        SchedulerAdapter pbt = make_pbt(iteration_options(1));
        auto [unknown, unknown_message] = call_error([&] { report(pbt, "ghost", 1, 0.5); });
        CHECK(unknown == TUNE_ERROR_STATE);
        CHECK_THAT(unknown_message, Catch::Contains("'ghost'"));
        pbt.on_trial_add("a", R"({"lr": 0.5})");
        auto [twice, twice_message] = call_error([&] { pbt.on_trial_add("a", R"({"lr": 0.5})"); });
        CHECK(twice == TUNE_ERROR_STATE);
        CHECK_THAT(twice_message, Catch::Contains("already added"));
        auto [candidate, candidate_message] = call_error([&] { choose(pbt, {{"ghost", "PENDING"}}); });
        CHECK(candidate == TUNE_ERROR_STATE);
        pbt.on_trial_complete("a", std::nullopt);
        auto [ended, ended_message] = call_error([&] { report(pbt, "a", 1, 0.5); });
        CHECK(ended == TUNE_ERROR_STATE);
    }
    SECTION("a trial whose config lacks a mutated key, or holds a non-number for a domain") {
        SchedulerAdapter pbt = make_pbt(iteration_options(1, {{"hyperparam_mutations",
                                                                {{"lr", {{"uniform", {0.0, 1.0}}}},
                                                                 {"model", {{"units", {8, 16}}}}}}}));
        const std::pair<std::string, std::string> cases[] = {
            {R"({"model": {"units": 8}})", "no config key 'lr'"},
            {R"({"lr": 0.5, "model": {"layers": 2}})", "no config key 'model.units'"},
            {R"({"lr": 0.5})", "no config key 'model'"},
            {R"({"lr": 0.5, "model": 3})", "'model' must be a table"},
            {R"({"lr": "fast", "model": {"units": 8}})", "'lr' must be a number"},
        };
        for (const auto &[text, expected] : cases) {
            INFO(text);
            const std::string config = text; // a lambda cannot capture a structured binding in C++17
            auto [status, message] = call_error([&] { pbt.on_trial_add("t", config); });
            CHECK(status == TUNE_ERROR_INVALID_CONFIG);
            CHECK_THAT(message, Catch::Contains("trial 't'") && Catch::Contains(expected));
        }
        auto [status, message] = call_error([&] { pbt.on_trial_add("t", R"({"model": {"units": 8}})"); });
        CHECK_THAT(message, Catch::Contains("[search_space]"));
        pbt.on_trial_add("t", R"({"lr": 0.5, "model": {"units": 8}})");
    }
}
