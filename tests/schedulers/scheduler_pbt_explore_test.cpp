// PBT's explore step, seen through the exploit actions of the real plugin: a lower trial
// clones "donor" again and again, and each action's config is explore(donor's config).
// Perturbation factors, resampling from lists and domains, bounds, integers, list shifts,
// nested keys, and the action's config, detail and log_config.
#include <catch2/catch.hpp>

#include <set>

#include "scheduler_pbt_fixture.hpp"

using namespace tune::test;
using tune::core::SchedulerAdapter;

namespace {

// The values key took, and the operations that made them, over `count` explorations.
struct Seen {
    std::set<std::string> values; // dumped JSON, so that 8 and 8.0 differ
    std::set<std::string> operations;
};

Seen explore_key(const Json &mutations, const Json &donor_config, const std::string &key, double resample,
                 const Json &extra = Json::object(), int count = 200) {
    Json options{{"hyperparam_mutations", mutations}, {"resample_probability", resample}};
    options.update(extra);
    SchedulerAdapter pbt = explore_setup(options, donor_config, donor_config);
    Seen seen;
    for (const SchedulerAction &action : explore_samples(pbt, count)) {
        seen.values.insert(action.config.at(key).dump());
        seen.operations.insert(detail_of(action)["operations"].at(key).get<std::string>());
    }
    return seen;
}

using Strings = std::set<std::string>;

} // namespace

TEST_CASE("pbt explore: without resampling a value is multiplied by one of the factors") {
    const Json lr{{"lr", {{"uniform", {0.0, 1.0}}}}};
    Seen seen = explore_key(lr, {{"lr", 0.5}}, "lr", 0.0);
    CHECK(seen.values == Strings{"0.4", "0.6"});
    CHECK(seen.operations == Strings{"* 0.8", "* 1.2"});

    seen = explore_key({{"lr", {{"uniform", {0.0, 100.0}}}}}, {{"lr", 1.5}}, "lr", 0.0,
                       {{"perturbation_factors", {2, 3, 0.5}}});
    CHECK(seen.values == Strings{"0.75", "3.0", "4.5"});
    CHECK(seen.operations == Strings{"* 0.5", "* 2", "* 3"});
}

TEST_CASE("pbt explore: resampling draws from the domain or the list") {
    SECTION("loguniform") {
        SchedulerAdapter pbt = explore_setup({{"hyperparam_mutations", {{"lr", {{"loguniform", {1e-4, 1e-1}}}}}},
                                              {"resample_probability", 1.0}},
                                             {{"lr", 0.01}}, {{"lr", 0.01}});
        std::set<double> values;
        for (const SchedulerAction &action : explore_samples(pbt, 100)) {
            const double lr = action.config["lr"].get<double>();
            CHECK(lr >= 1e-4);
            CHECK(lr < 1e-1);
            CHECK(detail_of(action)["operations"]["lr"] == "resample");
            values.insert(lr);
        }
        CHECK(values.size() == 100); // a fresh draw each time, not a perturbation of 0.01
    }
    SECTION("a list and a choice") {
        for (const Json &values : {Json{3, 4, 8, 10}, Json{{"choice", {3, 4, 8, 10}}}}) {
            Seen seen = explore_key({{"v", values}}, {{"v", 4}}, "v", 1.0);
            CHECK(seen.values == Strings{"3", "4", "8", "10"});
            CHECK(seen.operations == Strings{"resample"});
        }
    }
    SECTION("half the time with resample_probability 0.5") {
        Seen seen = explore_key({{"lr", {{"uniform", {0.0, 1.0}}}}}, {{"lr", 0.5}}, "lr", 0.5);
        CHECK(seen.operations == Strings{"* 0.8", "* 1.2", "resample"});
        CHECK(seen.values.size() > 50);
    }
}

TEST_CASE("pbt explore: a perturbed value stays within its domain's bounds") {
    const Json up{{"perturbation_factors", {1.2}}};
    const Json down{{"perturbation_factors", {0.8}}};
    CHECK(explore_key({{"x", {{"uniform", {0.0, 1.0}}}}}, {{"x", 0.9}}, "x", 0.0, up).values == Strings{"1.0"});
    CHECK(explore_key({{"x", {{"uniform", {0.5, 1.0}}}}}, {{"x", 0.55}}, "x", 0.0, down).values ==
          Strings{"0.5"});
    CHECK(explore_key({{"x", {{"loguniform", {1e-4, 1e-1}}}}}, {{"x", 0.1}}, "x", 0.0, up).values ==
          Strings{"0.1"});
    CHECK(explore_key({{"x", {{"loguniform", {1e-4, 1e-1}}}}}, {{"x", 1e-4}}, "x", 0.0, down).values ==
          Strings{"0.0001"});
    // randint excludes its upper bound: [2, 9) keeps 2..8.
    CHECK(explore_key({{"x", {{"randint", {2, 9}}}}}, {{"x", 8}}, "x", 0.0, up).values == Strings{"8"});
    CHECK(explore_key({{"x", {{"randint", {2, 9}}}}}, {{"x", 2}}, "x", 0.0, down).values == Strings{"2"});
    // qrandint includes it.
    CHECK(explore_key({{"x", {{"qrandint", {16, 256, 16}}}}}, {{"x", 240}}, "x", 0.0, up).values ==
          Strings{"256"});
    // randn is unbounded.
    CHECK(explore_key({{"x", {{"randn", {0.0, 1.0}}}}}, {{"x", 10.0}}, "x", 0.0, up).values == Strings{"12.0"});
}

TEST_CASE("pbt explore: integer values stay integers truncated toward zero as Python's int()") {
    // An integer in a float domain (Ray: int() because the old value was an int).
    Seen seen = explore_key({{"n", {{"uniform", {-100.0, 100.0}}}}}, {{"n", 7}}, "n", 0.0);
    CHECK(seen.values == Strings{"5", "8"}); // 5.6 and 8.4
    seen = explore_key({{"n", {{"uniform", {-100.0, 100.0}}}}}, {{"n", -7}}, "n", 0.0);
    CHECK(seen.values == Strings{"-5", "-8"});
    // A float value in an integer domain becomes an integer too (Ray would keep 8.4).
    seen = explore_key({{"n", {{"randint", {0, 100}}}}}, {{"n", 7.0}}, "n", 0.0);
    CHECK(seen.values == Strings{"5", "8"});
    // A resampled float domain value for an integer key: int() as well.
    SchedulerAdapter pbt = explore_setup(
        {{"hyperparam_mutations", {{"n", {{"uniform", {0.0, 100.0}}}}}}, {"resample_probability", 1.0}},
        {{"n", 7}}, {{"n", 7}});
    for (const SchedulerAction &action : explore_samples(pbt, 20)) CHECK(action.config["n"].is_number_integer());
}

TEST_CASE("pbt explore: a list key shifts to a neighbour and stays put at the ends") {
    const Json list{{"v", {3, 4, 8, 10}}};
    Seen seen = explore_key(list, {{"v", 4}}, "v", 0.0);
    CHECK(seen.values == Strings{"3", "8"});
    CHECK(seen.operations == Strings{"shift left", "shift right"});
    seen = explore_key(list, {{"v", 3}}, "v", 0.0);
    CHECK(seen.values == Strings{"3", "4"});
    CHECK(seen.operations == Strings{"shift left (noop)", "shift right"});
    seen = explore_key(list, {{"v", 10}}, "v", 0.0);
    CHECK(seen.values == Strings{"8", "10"});
    CHECK(seen.operations == Strings{"shift left", "shift right (noop)"});
    // A value not in the list is resampled, whatever resample_probability says.
    seen = explore_key(list, {{"v", 7}}, "v", 0.0);
    CHECK(seen.values == Strings{"3", "4", "8", "10"});
    CHECK(seen.operations == Strings{"resample"});
    // A choice domain is shifted as a list (Ray would multiply the category).
    seen = explore_key({{"v", {{"choice", {"sgd", "adam", "rmsprop"}}}}}, {{"v", "adam"}}, "v", 0.0);
    CHECK(seen.values == Strings{"\"sgd\"", "\"rmsprop\""});
    // Strings and other values work in lists too.
    seen = explore_key({{"v", {"relu", "tanh"}}}, {{"v", "relu"}}, "v", 0.0);
    CHECK(seen.values == Strings{"\"relu\"", "\"tanh\""});
}

TEST_CASE("pbt explore: nested keys are explored in their tables and other keys kept") {
    const Json mutations{{"a", {{"b", {3, 4, 8, 10}}}}, {"1", {{"2", {{"3", {{"uniform", {0.0, 1000.0}}}}}}}}};
    const Json donor{{"a", {{"b", 4}, {"other", 1}}}, {"1", {{"2", {{"3", 100}}}}}, {"const", 3}};
    SchedulerAdapter pbt = explore_setup({{"hyperparam_mutations", mutations}, {"resample_probability", 0.0}},
                                         donor, donor);
    std::set<int> b, deep;
    for (const SchedulerAction &action : explore_samples(pbt, 100)) {
        b.insert(action.config["a"]["b"].get<int>());
        deep.insert(action.config["1"]["2"]["3"].get<int>());
        CHECK(action.config["a"]["other"] == 1);
        CHECK(action.config["const"] == 3);
        const Json operations = detail_of(action)["operations"];
        CHECK(operations["a"]["b"].is_string());
        CHECK(operations["1"]["2"]["3"].is_string());
        CHECK(detail_of(action)["old_params"] == Json{{"a", {{"b", 4}}}, {"1", {{"2", {{"3", 100}}}}}});
    }
    CHECK(b == std::set<int>{3, 8});
    CHECK(deep == std::set<int>{80, 120});
}

TEST_CASE("pbt explore: the exploit action carries the donor's explored config with its detail and log_config") {
    const Json mutations{{"lr", {{"uniform", {0.0, 1.0}}}}};
    for (bool log_config : {true, false}) {
        Json options{{"hyperparam_mutations", mutations}, {"resample_probability", 0.0}};
        if (!log_config) options["log_config"] = false;
        SchedulerAdapter pbt =
            explore_setup(options, {{"lr", 0.5}, {"units", 64}}, {{"lr", 0.25}, {"units", 32}});
        const SchedulerAction action = explore_samples(pbt, 1).at(0);
        CHECK(action.trial_id == "low");
        CHECK(action.donor_id == "donor");
        CHECK(action.log_config == log_config);
        // Ray's _get_new_config explores the donor's config: the donor's units come along.
        CHECK(action.config["units"] == 64);
        const double lr = action.config["lr"].get<double>();
        CHECK((lr == Approx(0.6) || lr == Approx(0.4)));
        const Json detail = detail_of(action);
        CHECK(detail["reason"] == "lower quantile: exploit");
        CHECK(detail["donor"] == "donor");
        CHECK(detail["time"] == 2);
        CHECK(detail["score"] == 10);
        CHECK(detail["donor_score"] == 1);
        CHECK(detail["old_params"] == Json{{"lr", 0.5}});
        CHECK(detail["new_params"] == Json{{"lr", action.config["lr"]}});
        CHECK(detail["lower_quantile"] == Json{"low"});
        CHECK(detail["upper_quantile"] == Json{"donor"});
        CHECK(detail["operations"]["lr"] == (lr == Approx(0.6) ? "* 1.2" : "* 0.8"));
        CHECK(describe(pbt)["num_perturbations"] == 1);
    }
}

TEST_CASE("pbt explore: the same seed explores the same way and another seed otherwise") {
    const Json options{{"hyperparam_mutations", {{"lr", {{"uniform", {0.0, 1.0}}}}}}, {"resample_probability", 0.5}};
    auto run = [&](std::uint64_t seed) {
        SchedulerAdapter pbt = explore_setup(options, {{"lr", 0.5}}, {{"lr", 0.5}}, seed);
        std::vector<std::string> configs;
        for (const SchedulerAction &action : explore_samples(pbt, 20)) configs.push_back(action.config.dump());
        return configs;
    };
    CHECK(run(1) == run(1));
    CHECK(run(1) != run(2));
}
