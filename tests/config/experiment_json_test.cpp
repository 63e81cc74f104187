// The whole experiment survives a round trip through JSON, as a resumed experiment needs.
#include <catch2/catch.hpp>

#include "config/config_test_support.hpp"
#include "core/config/experiment_json.hpp"

using Catch::Matchers::Contains;
using namespace tune::test;

TEST_CASE("experiment json: every setting survives the round trip", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "e.toml", R"(
[experiment]
name = "e"
metric = "acc"
mode = "max"
num_samples = 3
seed = 5
max_concurrent_trials = 2
time_budget_s = 60
total_cpus = 3.5
max_failures = 2
step_timeout_s = 30
cpus_per_node = 16
gpus_per_node = 4
trials_on_controller = false
[trainable]
plugin = "curve"
resources = { cpu = 2, gpu = 0.5 }
config = { depth = 3 }
[search_space]
lr = { loguniform = [1e-4, 1e-1] }
[searcher]
plugin = "random"
max_concurrent = 4
repeat = 2
[stop]
training_iteration = 10
time_total_s = 5.5
metrics = { acc = 0.9, loss = { at_most = 0.1 } }
[checkpoint]
frequency = 2
at_end = false
num_to_keep = 3
score_attribute = "acc"
score_order = "max"
)");
    const auto experiment = tune::core::load_experiment(file, {}, nullptr);
    CHECK(experiment.step_timeout_s == 30.0);
    const auto json = tune::core::experiment_to_json(experiment);
    const auto back = tune::core::experiment_from_json(json);
    CHECK(tune::core::experiment_to_json(back) == json);
    CHECK(back.stop.metrics.at("loss").direction == tune::core::MetricThreshold::Direction::AtMost);
    CHECK(back.total_cpus == 3.5);
    CHECK_FALSE(back.total_gpus.has_value());
    CHECK(back.cpus_per_node == 16.0);
    CHECK(back.gpus_per_node == 4.0);
    CHECK_FALSE(back.trials_on_controller);
    CHECK(back.checkpoint.score_order == TUNE_MODE_MAX);
    CHECK(back.searcher_wrappers.max_concurrent == 4);
    CHECK(back.searcher_wrappers.repeat == 2);
}

TEST_CASE("experiment json: a state saved before the per-node settings existed still loads", "[config]") {
    auto json = tune::core::experiment_to_json(tune::core::Experiment{});
    for (const char *key : {"cpus_per_node", "gpus_per_node", "trials_on_controller"}) json.erase(key);
    const auto back = tune::core::experiment_from_json(json);
    CHECK_FALSE(back.cpus_per_node);
    CHECK_FALSE(back.gpus_per_node);
    CHECK(back.trials_on_controller);
}

TEST_CASE("experiment json: a state saved before the searcher wrappers existed still loads", "[config]") {
    auto json = tune::core::experiment_to_json(tune::core::Experiment{});
    json["searcher"].erase("max_concurrent");
    json["searcher"].erase("repeat");
    const auto back = tune::core::experiment_from_json(json);
    CHECK(back.searcher_wrappers.max_concurrent == 0);
    CHECK(back.searcher_wrappers.repeat == 1);
}

TEST_CASE("experiment json: a missing key is named", "[config]") {
    auto json = tune::core::experiment_to_json(tune::core::Experiment{});
    json["checkpoint"].erase("num_to_keep");
    CHECK_THROWS_WITH(tune::core::experiment_from_json(json), Contains("checkpoint.num_to_keep"));
}

TEST_CASE("experiment json: step_timeout_s must be a number > 0", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "e.toml", "[experiment]\nname = \"e\"\nmetric = \"m\"\nstep_timeout_s = 0\n"
                                          "[trainable]\nplugin = \"curve\"\n");
    auto issues = load_issues(file);
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].key_path == "experiment.step_timeout_s");
}
