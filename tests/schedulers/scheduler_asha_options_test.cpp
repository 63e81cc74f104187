// ASHA's options: every invalid value is a ConfigError (TUNE_ERROR_INVALID_CONFIG) whose
// message names the key.
#include <catch2/catch.hpp>

#include "scheduler_fixture.hpp"

using namespace tune::test;

TEST_CASE("ASHA options: invalid values are errors naming the key") {
    const std::pair<Json, std::string> cases[] = {
        {{{"max_t", 0}}, "'max_t'"},
        {{{"max_t", -5}}, "'max_t'"},
        {{{"max_t", "ten"}}, "'max_t'"},
        {{{"grace_period", 0}}, "'grace_period'"},
        {{{"grace_period", 20}, {"max_t", 10}}, "'grace_period'"},
        {{{"reduction_factor", 1}}, "'reduction_factor'"},
        {{{"reduction_factor", 0.5}}, "'reduction_factor'"},
        {{{"brackets", 0}}, "'brackets'"},
        {{{"brackets", 1.5}}, "'brackets'"},
        {{{"stop_last_trials", "yes"}}, "'stop_last_trials'"},
        {{{"seed", -1}}, "'seed'"},
        {{{"seed", 1.5}}, "'seed'"},
        {{{"variant", "sync"}}, "'variant'"},
        {{{"time_attr", ""}}, "'time_attr'"},
        {{{"time_attr", 3}}, "'time_attr'"},
        {{{"metric", 5}}, "'metric'"},
        {{{"mode", "up"}}, "'mode'"},
        {{{"grace", 2}}, "unknown ASHA option 'grace'"},
        {{{"variant", "promotion"}, {"stop_last_trials", false}}, "'stop_last_trials'"},
        // Settings that would make the scheduler allocate without bound are refused by name.
        {{{"max_t", 1e18}, {"reduction_factor", 1.0000001}},
         "ASHA options max_t (1e+18), grace_period (1.0) and reduction_factor (1.0000001) make"},
        {{{"max_t", 1e18}, {"reduction_factor", 1.0000001}}, "raise reduction_factor or grace_period"},
        {{{"brackets", 1000000000}}, "'brackets' (1000000000) must be at most 1000"},
    };
    for (const auto &entry : cases) {
        const Json &options = entry.first; // not a structured binding: the lambda captures it
        const std::string &expected = entry.second;
        INFO(options.dump());
        auto asha = load_asha();
        auto [status, message] = call_error([&] {
            asha.setup(Json{{"metric", "loss"}, {"mode", "min"}, {"options", options}}.dump());
        });
        CHECK(status == TUNE_ERROR_INVALID_CONFIG);
        CHECK_THAT(message, Catch::Contains(expected));
    }
}

TEST_CASE("ASHA options: a metric is required, from the settings or the options") {
    auto asha = load_asha();
    auto [status, message] = call_error([&] { asha.setup(R"({"mode":"min","options":{"max_t":10}})"); });
    CHECK(status == TUNE_ERROR_INVALID_CONFIG);
    CHECK_THAT(message, Catch::Contains("metric"));
    asha.setup(R"({"mode":"min","options":{"metric":"loss"}})");
    CHECK(describe(asha)["metric"] == "loss");
}

TEST_CASE("ASHA options: numbers may be fractional where Ray allows it") {
    // grace 1.5, rf 2.5, max_t 30: int(log(20)/log(2.5) + 1) = int(4.27) = 4 rungs: 1.5 * 2.5^k.
    auto asha = make_asha({{"grace_period", 1.5}, {"reduction_factor", 2.5}, {"max_t", 30}});
    CHECK(milestones(asha) == std::vector<std::vector<double>>{{23.4375, 9.375, 3.75, 1.5}});
}
