// The median stopping scheduler's options: every invalid value is a ConfigError
// (TUNE_ERROR_INVALID_CONFIG) whose message names the key; so is an unknown key.
#include <catch2/catch.hpp>

#include "scheduler_median_stopping_fixture.hpp"

using namespace tune::test;

TEST_CASE("median stopping options: invalid values are errors naming the key") {
    const std::pair<Json, std::string> cases[] = {
        {{{"grace_period", -1}}, "'grace_period'"},
        {{{"grace_period", "60"}}, "'grace_period'"},
        {{{"grace_period", true}}, "'grace_period'"},
        {{{"min_samples_required", 0}}, "'min_samples_required'"},
        {{{"min_samples_required", -2}}, "'min_samples_required'"},
        {{{"min_samples_required", 2.5}}, "'min_samples_required'"},
        {{{"min_samples_required", "3"}}, "'min_samples_required'"},
        {{{"min_time_slice", -0.5}}, "'min_time_slice'"},
        {{{"min_time_slice", nullptr}}, "'min_time_slice'"},
        {{{"hard_stop", "no"}}, "'hard_stop'"},
        {{{"hard_stop", 0}}, "'hard_stop'"},
        {{{"time_attr", ""}}, "'time_attr'"},
        {{{"time_attr", 3}}, "'time_attr'"},
        {{{"metric", 5}}, "'metric'"},
        {{{"metric", ""}}, "'metric'"},
        {{{"mode", "up"}}, "'mode'"},
        {{{"max_t", 10}}, "unknown median_stopping option 'max_t'"},
        {{{"grace", 2}}, "unknown median_stopping option 'grace'"},
    };
    for (const auto &entry : cases) {
        const Json &options = entry.first; // not a structured binding: the lambda captures it
        const std::string &expected = entry.second;
        INFO(options.dump());
        auto rule = load_median();
        auto [status, message] = call_error([&] {
            rule.setup(Json{{"metric", "loss"}, {"mode", "min"}, {"options", options}}.dump());
        });
        CHECK(status == TUNE_ERROR_INVALID_CONFIG);
        CHECK_THAT(message, Catch::Contains(expected));
    }
}

TEST_CASE("median stopping options: a metric is required from the settings or the options") {
    auto rule = load_median();
    auto [status, message] = call_error([&] { rule.setup(R"({"mode":"min","options":{}})"); });
    CHECK(status == TUNE_ERROR_INVALID_CONFIG);
    CHECK_THAT(message, Catch::Contains("metric"));
    rule.setup(R"({"mode":"min","options":{"metric":"loss"}})");
    CHECK(describe(rule)["metric"] == "loss");
}

TEST_CASE("median stopping options: options override the settings' metric and mode") {
    auto rule = make_median({{"metric", "accuracy"},
                             {"mode", "max"},
                             {"time_attr", "training_iteration"},
                             {"grace_period", 2.5},
                             {"min_samples_required", 5},
                             {"min_time_slice", 1.5},
                             {"hard_stop", false}});
    const Json state = describe(rule);
    CHECK(state["metric"] == "accuracy");
    CHECK(state["mode"] == "max");
    CHECK(state["time_attr"] == "training_iteration");
    CHECK(state["grace_period"] == 2.5);
    CHECK(state["min_samples_required"] == 5);
    CHECK(state["min_time_slice"] == 1.5);
    CHECK(state["hard_stop"] == false);
}
