// The PBT scheduler's options: Ray's defaults, overrides, and every invalid value a
// ConfigError (TUNE_ERROR_INVALID_CONFIG) whose message names the option and what it expects;
// so are an unknown key and custom_explore_fn.
#include <catch2/catch.hpp>

#include "scheduler_pbt_fixture.hpp"

using namespace tune::test;

namespace {

const Json mutations{{"lr", {{"loguniform", {1e-4, 1e-1}}}}};

} // namespace

TEST_CASE("pbt options: the plugin is a scheduler with the documented id and Ray's defaults") {
    auto pbt = make_pbt({{"hyperparam_mutations", mutations}});
    CHECK(pbt.info().id == "org.tune.scheduler.pbt");
    CHECK(pbt.info().kind == TUNE_KIND_SCHEDULER);
    CHECK(pbt.takes_actions());
    const Json state = describe(pbt);
    CHECK(state["scheduler"] == "pbt");
    CHECK(state["metric"] == "loss");
    CHECK(state["mode"] == "min");
    CHECK(state["time_attr"] == "time_total_s");
    CHECK(state["perturbation_interval"] == 60);
    CHECK(state["burn_in_period"] == 0);
    CHECK(state["hyperparam_mutations"] == mutations);
    CHECK(state["quantile_fraction"] == 0.25);
    CHECK(state["resample_probability"] == 0.25);
    CHECK(state["perturbation_factors"] == Json{1.2, 0.8});
    CHECK(state["synch"] == false);
    CHECK(state["require_attrs"] == true);
    CHECK(state["log_config"] == true);
    CHECK(state["next_perturbation_sync"].is_null()); // asynchronous
    CHECK(state["trials"] == 0);
    CHECK(state["num_perturbations"] == 0);
    CHECK(state["num_checkpoints"] == 0);
    CHECK(state["population"] == Json::object());
}

TEST_CASE("pbt options: options override the defaults and the settings' metric and mode") {
    const Json nested{{"optimizer", {{"lr", {0.1, 0.01, 0.001}}, {"momentum", {{"uniform", {0.5, 0.99}}}}}},
                      {"batch_size", {{"choice", {16, 32, 64}}}}};
    auto pbt = make_pbt({{"metric", "accuracy"},
                         {"mode", "max"},
                         {"time_attr", "training_iteration"},
                         {"perturbation_interval", 4},
                         {"burn_in_period", 2.5},
                         {"hyperparam_mutations", nested},
                         {"quantile_fraction", 0.5},
                         {"resample_probability", 0},
                         {"perturbation_factors", {2, 0.5, 1.1}},
                         {"synch", true},
                         {"require_attrs", false},
                         {"log_config", false}});
    const Json state = describe(pbt);
    CHECK(state["metric"] == "accuracy");
    CHECK(state["mode"] == "max");
    CHECK(state["time_attr"] == "training_iteration");
    CHECK(state["perturbation_interval"] == 4);
    CHECK(state["burn_in_period"] == 2.5);
    CHECK(state["hyperparam_mutations"] == nested);
    CHECK(state["quantile_fraction"] == 0.5);
    CHECK(state["resample_probability"] == 0);
    CHECK(state["perturbation_factors"] == Json{2, 0.5, 1.1});
    CHECK(state["synch"] == true);
    CHECK(state["require_attrs"] == false);
    CHECK(state["log_config"] == false);
    CHECK(state["next_perturbation_sync"] == 4); // max(perturbation_interval, burn_in_period)
}

TEST_CASE("pbt options: invalid values are errors naming the option and what it expects") {
    const std::pair<Json, std::string> cases[] = {
        {{{"perturbation_interval", 0}}, "'perturbation_interval' must be a number > 0"},
        {{{"perturbation_interval", -5}}, "'perturbation_interval' must be a number > 0"},
        {{{"perturbation_interval", "60"}}, "'perturbation_interval' must be a number > 0"},
        {{{"burn_in_period", -1}}, "'burn_in_period' must be a finite number >= 0"},
        {{{"burn_in_period", true}}, "'burn_in_period'"},
        {{{"quantile_fraction", 0.6}}, "'quantile_fraction' must be a number in [0, 0.5]"},
        {{{"quantile_fraction", -0.1}}, "'quantile_fraction' must be a number in [0, 0.5]"},
        {{{"quantile_fraction", "0.25"}}, "'quantile_fraction'"},
        {{{"resample_probability", 1.5}}, "'resample_probability' must be a number in [0, 1]"},
        {{{"resample_probability", -0.25}}, "'resample_probability' must be a number in [0, 1]"},
        {{{"resample_probability", nullptr}}, "'resample_probability'"},
        {{{"perturbation_factors", Json::array()}}, "'perturbation_factors' must be a non-empty list of numbers > 0"},
        {{{"perturbation_factors", {1.2, 0}}}, "'perturbation_factors' must be a non-empty list of numbers > 0"},
        {{{"perturbation_factors", {1.2, -0.8}}}, "'perturbation_factors'"},
        {{{"perturbation_factors", 1.2}}, "'perturbation_factors'"},
        {{{"perturbation_factors", {"1.2"}}}, "'perturbation_factors'"},
        {{{"synch", "yes"}}, "'synch' must be a boolean"},
        {{{"require_attrs", 1}}, "'require_attrs' must be a boolean"},
        {{{"log_config", "false"}}, "'log_config' must be a boolean"},
        {{{"time_attr", ""}}, "'time_attr' must be a non-empty string"},
        {{{"time_attr", 3}}, "'time_attr'"},
        {{{"metric", 5}}, "'metric'"},
        {{{"mode", "up"}}, "'mode' must be \"min\" or \"max\""},
        {{{"custom_explore_fn", "explore"}}, "'custom_explore_fn' is not supported"},
        {{{"max_t", 10}}, "unknown PBT option 'max_t'; known options: time_attr"},
        {{{"hyperparams", mutations}}, "unknown PBT option 'hyperparams'"},
    };
    for (const auto &[bad, expected] : cases) {
        Json options{{"hyperparam_mutations", mutations}};
        options.update(bad);
        INFO(options.dump());
        auto pbt = load_pbt();
        auto [status, message] = call_error([&] { pbt.setup(pbt_settings(options)); });
        CHECK(status == TUNE_ERROR_INVALID_CONFIG);
        CHECK_THAT(message, Catch::Contains(expected));
    }
}

TEST_CASE("pbt options: hyperparam_mutations is required and each value must be a list or a domain or a table") {
    const std::pair<Json, std::string> cases[] = {
        {nullptr, "PBT needs option 'hyperparam_mutations'"},
        {Json::object(), "'hyperparam_mutations' must be a non-empty table"},
        {Json::array(), "'hyperparam_mutations' must be a non-empty table"},
        {{{"uniform", {0, 1}}}, "must be a table of config keys, not a domain"},
        {{{"lr", 0.1}}, "lr: expected a list of values, a search-space domain"},
        {{{"lr", "loguniform"}}, "lr: expected a list of values"},
        {{{"lr", Json::array()}}, "lr: a list of values must not be empty"},
        {{{"model", Json::object()}}, "model: a nested table of mutations must not be empty"},
        {{{"model", {{"lr", true}}}}, "model.lr: expected a list of values"},
        {{{"lr", {{"uniform", {1, 0}}}}}, "lr: uniform needs lower < upper"},
        {{{"lr", {{"loguniform", {0, 1}}}}}, "lr: loguniform needs lower > 0"},
        {{{"lr", {{"uniform", {0, 1}}, {"base", 2}}}}, "lr: unexpected key 'base' next to 'uniform'"},
        {{{"n", {{"randint", {1.5, 4}}}}}, "n: randint argument lower must be an integer"},
        {{{"lr", {{"sample_from", "2 ** randint(2, 9)"}}}}, "lr: sample_from is not supported"},
        {{{"act", {{"grid_search", {"relu", "tanh"}}}}}, "act: grid_search is not a distribution"},
        {{{"act", {{"choice", Json::array()}}}}, "act: choice expects a non-empty array"},
    };
    for (const auto &[spec, expected] : cases) {
        Json options = Json::object();
        if (!spec.is_null()) options["hyperparam_mutations"] = spec;
        INFO(options.dump());
        auto pbt = load_pbt();
        auto [status, message] = call_error([&] { pbt.setup(pbt_settings(options)); });
        CHECK(status == TUNE_ERROR_INVALID_CONFIG);
        CHECK_THAT(message, Catch::Contains(expected));
        if (!spec.is_null()) CHECK_THAT(message, Catch::Contains("'hyperparam_mutations'"));
    }
}

TEST_CASE("pbt options: every domain but sample_from and grid_search is accepted") {
    const Json all{{"a", {{"uniform", {0, 1}}}},          {"b", {{"quniform", {0, 1, 0.1}}}},
                   {"c", {{"loguniform", {1e-4, 1e-1}}}}, {"d", {{"qloguniform", {1e-4, 1e-1, 5e-5}}}},
                   {"e", {{"randn", Json::array()}}},     {"f", {{"qrandn", {0, 1, 0.1}}}},
                   {"g", {{"randint", {2, 9}}}},          {"h", {{"qrandint", {16, 256, 16}}}},
                   {"i", {{"lograndint", {8, 1024}}}},    {"j", {{"qlograndint", {10, 1000, 10}}}},
                   {"k", {{"choice", {"adam", "sgd"}}}},  {"l", {1, 2, 3}},
                   {"m", {{"n", {{"uniform", {0, 1}}}}}}};
    auto pbt = make_pbt({{"hyperparam_mutations", all}});
    CHECK(describe(pbt)["hyperparam_mutations"] == all);
}

TEST_CASE("pbt options: a metric is required from the settings or the options") {
    auto pbt = load_pbt();
    auto [status, message] = call_error([&] {
        pbt.setup(Json{{"mode", "min"}, {"options", {{"hyperparam_mutations", mutations}}}}.dump());
    });
    CHECK(status == TUNE_ERROR_INVALID_CONFIG);
    CHECK_THAT(message, Catch::Contains("PBT needs a metric"));
    pbt.setup(Json{{"mode", "min"}, {"options", {{"metric", "loss"}, {"hyperparam_mutations", mutations}}}}.dump());
    CHECK(describe(pbt)["metric"] == "loss");
}
