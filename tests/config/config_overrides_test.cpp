// --set KEY.PATH=VALUE overrides: TOML values, bare words, new tables, and their errors.
#include <catch2/catch.hpp>

#include "config/config_test_support.hpp"
#include "core/config/experiment_loader.hpp"

using tune::core::load_experiment;
using tune::test::check_issue;
using tune::test::kMinimalExperiment;
using tune::test::load_issues;
using tune::test::TempDir;
using tune::test::write_file;

TEST_CASE("config --set: numbers, booleans, strings and bare words", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "base.toml", kMinimalExperiment + "[checkpoint]\nat_end = true\n");
    auto experiment = load_experiment(file,
                                      {"experiment.num_samples=10", "experiment.time_budget_s=0.5",
                                       "checkpoint.at_end=false", "experiment.metric=\"accuracy\"",
                                       "experiment.name=other", "experiment.results_dir=my results",
                                       "experiment.mode = max"},
                                      nullptr);
    CHECK(experiment.num_samples == 10);
    CHECK(experiment.time_budget_s == 0.5);
    CHECK_FALSE(experiment.checkpoint.at_end);
    CHECK(experiment.metric == "accuracy");
    CHECK(experiment.name == "other");
    CHECK(experiment.results_dir == "my results");
    CHECK(experiment.mode == TUNE_MODE_MAX);
}

TEST_CASE("config --set: a nested path creates the tables it needs and keeps their other keys", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "nested.toml", kMinimalExperiment + "[trainable.config]\nnoise = 0.1\n");
    auto experiment = load_experiment(file,
                                      {"trainable.config.model.depth=3", "trainable.resources.gpu=0.5",
                                       "stop.metrics.loss={at_most=0.1}", "search_space.x={choice=[1, 2]}",
                                       "trainable.config.\"a=b\"=[1, 2]"},
                                      nullptr);
    CHECK(experiment.trainable_config ==
          nlohmann::json{{"noise", 0.1}, {"model", {{"depth", 3}}}, {"a=b", {1, 2}}});
    CHECK(experiment.resources.gpu == 0.5);
    CHECK(experiment.resources.cpu == 1.0);
    REQUIRE(experiment.stop.metrics.count("loss") == 1);
    CHECK(experiment.stop.metrics.at("loss").value == 0.1);
    CHECK(experiment.search_space == nlohmann::json{{"x", {{"choice", {1, 2}}}}});
}

TEST_CASE("config --set: the last override of a key wins", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "twice.toml", kMinimalExperiment);
    auto experiment = load_experiment(file, {"experiment.seed=1", "experiment.seed=7"}, nullptr);
    CHECK(experiment.seed == 7);
}

TEST_CASE("config --set: an override that does not apply is an issue of file --set", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "base.toml", kMinimalExperiment);
    auto issues = load_issues(file, {"experiment.seed", "stop.training_iteration=[1,", "experiment.name.first=1",
                                     "a..b=1"});
    REQUIRE(issues.size() == 4);
    for (const auto &issue : issues) {
        CHECK(issue.file == "--set");
        CHECK(issue.line == 0);
    }
    CHECK(issues[0].to_string() == "--set: cannot apply --set 'experiment.seed': expected KEY.PATH=VALUE");
    CHECK_THAT(issues[1].message, Catch::Matchers::StartsWith("cannot apply --set 'stop.training_iteration=[1,': "));
    CHECK(issues[2].key_path == "experiment.name");
    CHECK(issues[2].message ==
          "cannot apply --set 'experiment.name.first=1': 'experiment.name' is string \"t\", not a table");
    CHECK_THAT(issues[3].message, Catch::Matchers::StartsWith("cannot apply --set 'a..b=1': "));
}

TEST_CASE("config --set: a bad value from an override names the override as its file", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "base.toml", kMinimalExperiment + "[experiment.extra]\n");
    auto issues = load_issues(file, {"experiment.num_samples=ten", "experiment.num_sample=3", "stopp.x=1"});
    REQUIRE(issues.size() == 4);
    // The file's own issues come first, at the key's own position in a header.
    check_issue(issues, file.string(), 6, 13, "experiment.extra", "unknown key 'experiment.extra'");
    check_issue(issues, "--set experiment.num_samples=ten", 1, 24, "experiment.num_samples",
                "expected an integer >= 1, got string \"ten\"");
    check_issue(issues, "--set experiment.num_sample=3", 1, 12, "experiment.num_sample",
                "unknown key 'experiment.num_sample'; did you mean 'num_samples'?");
    check_issue(issues, "--set stopp.x=1", 1, 1, "stopp", "unknown section 'stopp'; did you mean 'stop'?");
    CHECK(issues[0].file == file.string());
}

TEST_CASE("config --set: a good override still applies next to a bad one", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "base.toml", kMinimalExperiment);
    auto issues = load_issues(file, {"experiment.seed=-1", "oops", "experiment.seed=3"});
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].file == "--set");
}
