// The HyperBand scheduler's options: Ray's defaults, and every invalid value a ConfigError
// (TUNE_ERROR_INVALID_CONFIG) whose message names the key and what was expected; so is an
// unknown key.
#include <catch2/catch.hpp>

#include "scheduler_hyperband_fixture.hpp"

using namespace tune::test;

namespace {

std::pair<tune_status_t, std::string> setup_error(const Json &settings) {
    auto hb = load_hyperband();
    return call_error([&] { hb.setup(settings.dump()); });
}

} // namespace

TEST_CASE("hyperband options: the defaults are Ray's") {
    auto hb = make_hyperband(Json::object());
    const Json state = describe(hb);
    CHECK(state["time_attr"] == "training_iteration");
    CHECK(state["max_t"] == 81);
    CHECK(state["reduction_factor"] == 3);
    CHECK(state["stop_last_trials"] == true);
    CHECK(state["metric"] == "episode_reward_mean");
    CHECK(state["mode"] == "max");
    CHECK(state["brackets_per_band"] == 5);
}

TEST_CASE("hyperband options: invalid values are errors naming the key and what was expected") {
    const std::pair<Json, std::string> cases[] = {
        {{{"max_t", 0}}, "hyperband option 'max_t' must be a number >= 1, got 0"},
        {{{"max_t", 0.5}}, "hyperband option 'max_t' must be a number >= 1, got 0.5"},
        {{{"max_t", -81}}, "hyperband option 'max_t' must be a number >= 1"},
        {{{"max_t", "81"}}, "hyperband option 'max_t' must be a number >= 1, got \"81\""},
        {{{"max_t", true}}, "hyperband option 'max_t' must be a number >= 1, got true"},
        {{{"max_t", nullptr}}, "hyperband option 'max_t' must be a number >= 1, got null"},
        {{{"reduction_factor", 1}}, "hyperband option 'reduction_factor' must be a number > 1, got 1"},
        {{{"reduction_factor", 0.5}}, "hyperband option 'reduction_factor' must be a number > 1, got 0.5"},
        {{{"reduction_factor", "3"}}, "hyperband option 'reduction_factor' must be a number > 1"},
        {{{"stop_last_trials", "yes"}}, "hyperband option 'stop_last_trials' must be a boolean, got \"yes\""},
        {{{"stop_last_trials", 1}}, "hyperband option 'stop_last_trials' must be a boolean, got 1"},
        {{{"time_attr", ""}}, "hyperband option 'time_attr' must be a non-empty string"},
        {{{"time_attr", 3}}, "hyperband option 'time_attr' must be a non-empty string, got 3"},
        {{{"metric", 5}}, "hyperband option 'metric' must be a non-empty string"},
        {{{"metric", ""}}, "hyperband option 'metric' must be a non-empty string"},
        {{{"mode", "up"}}, "hyperband option 'mode' must be \"min\" or \"max\", got \"up\""},
        {{{"max_t", 1e300}, {"reduction_factor", 1.0001}}, "brackets per band; at most 1000 are supported"},
        {{{"grace_period", 1}}, "unknown hyperband option 'grace_period'; known options: time_attr, metric, mode, "
                                "max_t, reduction_factor, stop_last_trials"},
        {{{"brackets", 3}}, "unknown hyperband option 'brackets'"},
    };
    for (const auto &[options, expected] : cases) {
        INFO(options.dump());
        auto [status, message] = setup_error({{"metric", "loss"}, {"mode", "min"}, {"options", options}});
        CHECK(status == TUNE_ERROR_INVALID_CONFIG);
        CHECK_THAT(message, Catch::Contains(expected));
    }
}

TEST_CASE("hyperband options: a metric is required from the settings or the options") {
    auto [status, message] = setup_error({{"mode", "min"}, {"options", Json::object()}});
    CHECK(status == TUNE_ERROR_INVALID_CONFIG);
    CHECK_THAT(message, Catch::Contains("hyperband needs a metric"));
    auto hb = load_hyperband();
    hb.setup(R"({"mode":"min","options":{"metric":"loss"}})");
    CHECK(describe(hb)["metric"] == "loss");
}

TEST_CASE("hyperband options: options override the settings' metric and mode") {
    auto hb = make_hyperband({{"metric", "accuracy"},
                              {"mode", "max"},
                              {"time_attr", "time_total_s"},
                              {"max_t", 1000},
                              {"reduction_factor", 10},
                              {"stop_last_trials", false}},
                             "loss", "min");
    const Json state = describe(hb);
    CHECK(state["metric"] == "accuracy");
    CHECK(state["mode"] == "max");
    CHECK(state["time_attr"] == "time_total_s");
    CHECK(state["max_t"] == 1000);
    CHECK(state["reduction_factor"] == 10);
    CHECK(state["stop_last_trials"] == false);
    CHECK(state["brackets_per_band"] == 4); // round(log(1000) / log(10)) + 1
}

TEST_CASE("hyperband options: fractional max_t and reduction_factor are Ray's arithmetic") {
    // max_t 10.5, eta 2.5: s_max_1 = round(log(10.5) / log(2.5)) + 1 = round(2.566) + 1 = 4;
    // n0(s) = ceil(4 / (s + 1) * 2.5^s) = 4, 5, 9, 16; r0(s) = int(10.5 * 2.5^-s) = 10, 4, 1, 0.
    auto hb = make_hyperband({{"max_t", 10.5}, {"reduction_factor", 2.5}});
    tune::test::FakeHost host(hb);
    host.add(0, 4 + 5 + 9 + 1); // the next trial would need s = 3, skipped: a new band
    Json state = describe(hb);
    REQUIRE(state["brackets"].size() == 4);
    CHECK(state["brackets"][2]["max_trials"] == 9);
    CHECK(state["brackets"][2]["milestone"] == 1);
    CHECK(state["brackets"][3]["band"] == 1);
    CHECK(state["skipped_brackets"] == 1);
    CHECK(state["brackets"][1]["max_trials"] == 5);
    CHECK(state["brackets"][1]["milestone"] == 4);
}

TEST_CASE("hyperband options: a result's time must be a non-negative number") {
    auto hb = make_hyperband(Json::object(), "loss", "min");
    hb.on_trial_add("a", "{}");
    auto [status, message] = call_error([&] { report(hb, "a", -1, 0.5); });
    CHECK(status == TUNE_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(message, Catch::Contains("'training_iteration' must be >= 0"));
    auto [bad_status, bad_message] = call_error([&] { report(hb, "a", 1, "x"); });
    CHECK(bad_status == TUNE_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(bad_message, Catch::Contains("metric 'loss'"));
    // Missing fields: CONTINUE, nothing recorded (Ray would fail on them).
    CHECK(send_result(hb, "a", Json{{"loss", 1}}).detail == Json{{"reason", "time_attr missing"}});
    CHECK(send_result(hb, "a", Json{{"training_iteration", 81}}).detail == Json{{"reason", "metric missing"}});
    CHECK(bracket_state(hb, 0, 0)["reached"] == 0);
}
