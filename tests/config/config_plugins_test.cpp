// Plugin names resolved through a registry of the shipped plugins, and plugin options checked
// by the plugins' own setup.
#include <catch2/catch.hpp>

#include "config/config_test_support.hpp"
#include "core/config/experiment_loader.hpp"

using Catch::Matchers::Contains;
using tune::core::load_experiment;
using tune::test::check_issue;
using tune::test::kMinimalExperiment;
using tune::test::load_issues;
using tune::test::shipped_registry;
using tune::test::TempDir;
using tune::test::write_file;

TEST_CASE("config plugins: short names resolve to full ids by kind", "[config][plugins]") {
    TempDir dir;
    auto file = write_file(dir, "names.toml", kMinimalExperiment + R"~([searcher]
plugin = "random"
[scheduler]
plugin = "asha"
[scheduler.options]
max_t = 10
grace_period = 1
reduction_factor = 2
)~");
    auto experiment = load_experiment(file, {}, &shipped_registry());
    CHECK(experiment.trainable_plugin == "org.tune.sample.curve");
    CHECK(experiment.searcher.plugin == "org.tune.searcher.random");
    CHECK(experiment.scheduler.plugin == "org.tune.scheduler.asha");
    CHECK(experiment.scheduler.options == nlohmann::json{{"max_t", 10}, {"grace_period", 1}, {"reduction_factor", 2}});
}

TEST_CASE("config plugins: the defaults resolve too", "[config][plugins]") {
    TempDir dir;
    auto experiment = load_experiment(write_file(dir, "defaults.toml", kMinimalExperiment), {}, &shipped_registry());
    CHECK(experiment.searcher.plugin == "org.tune.searcher.random");
    CHECK(experiment.scheduler.plugin == "org.tune.scheduler.fifo");
}

TEST_CASE("config plugins: an unknown plugin lists the known ids of its kind", "[config][plugins]") {
    TempDir dir;
    auto file = write_file(dir, "unknown.toml", R"~([experiment]
name = "t"
metric = "loss"
[trainable]
plugin = "nope"
[scheduler]
plugin = "curve"
)~");
    auto issues = load_issues(file, {}, &shipped_registry());
    REQUIRE(issues.size() == 2);
    check_issue(issues, file.string(), 5, 10, "trainable.plugin", "unknown trainable plugin id 'nope'; known: ");
    CHECK_THAT(issues[0].message, Contains("org.tune.sample.curve") && Contains("org.tune.sample.c_quadratic"));
    // A trainable's short name does not match a scheduler.
    check_issue(issues, file.string(), 7, 10, "scheduler.plugin",
                "unknown scheduler plugin id 'curve'; known: org.tune.scheduler.asha, org.tune.scheduler.fifo");
}

TEST_CASE("config plugins: ASHA rejecting its options is an issue at the scheduler.options table", "[config][plugins]") {
    TempDir dir;
    auto file = write_file(dir, "asha.toml", kMinimalExperiment + R"~([scheduler]
plugin = "asha"
[scheduler.options]
max_t = 10
reduction_factor = 1
)~");
    auto issues = load_issues(file, {}, &shipped_registry());
    REQUIRE(issues.size() == 1);
    check_issue(issues, file.string(), 8, 1, "scheduler.options",
                "ASHA option 'reduction_factor' must be a number > 1, got 1");
    CHECK_THAT(issues[0].message, Contains("org.tune.scheduler.asha") && Contains("setup failed [invalid config]"));

    // Without a registry nothing runs the plugin, so the file loads.
    CHECK(load_experiment(file, {}, nullptr).scheduler.options.at("reduction_factor") == 1);
}

TEST_CASE("config plugins: an inline options table is the issue's position", "[config][plugins]") {
    TempDir dir;
    auto file = write_file(dir, "asha_inline.toml", kMinimalExperiment + R"~([scheduler]
plugin = "asha"
options = { max_t = 2, grace_period = 5 }
)~");
    auto issues = load_issues(file, {}, &shipped_registry());
    REQUIRE(issues.size() == 1);
    check_issue(issues, file.string(), 8, 11, "scheduler.options", "ASHA option 'grace_period'");
    CHECK_THAT(issues[0].message, Contains("must be <= max_t"));
}

TEST_CASE("config plugins: the default FIFO scheduler and the random searcher reject options", "[config][plugins]") {
    TempDir dir;
    auto file = write_file(dir, "fifo.toml", kMinimalExperiment + R"~([scheduler.options]
max_t = 10
[searcher]
plugin = "random"
options = { shuffle = true }
)~");
    auto issues = load_issues(file, {}, &shipped_registry());
    REQUIRE(issues.size() == 2);
    check_issue(issues, file.string(), 6, 1, "scheduler.options",
                "unknown FIFO option 'max_t'; the FIFO scheduler takes no options");
    check_issue(issues, file.string(), 10, 11, "searcher.options", "shuffle");
}

TEST_CASE("config plugins: an override's options are checked too", "[config][plugins]") {
    TempDir dir;
    auto file = write_file(dir, "asha.toml", kMinimalExperiment + "[scheduler]\nplugin = \"asha\"\n");
    auto issues = load_issues(file, {"scheduler.options.reduction_factor=1"}, &shipped_registry());
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].key_path == "scheduler.options");
    CHECK(issues[0].file == "--set scheduler.options.reduction_factor=1");
    CHECK_THAT(issues[0].message, Contains("ASHA option 'reduction_factor' must be a number > 1"));
}

TEST_CASE("config plugins: setup is not run on settings that already have issues", "[config][plugins]") {
    TempDir dir;
    auto file = write_file(dir, "both.toml", R"~([experiment]
name = "t"
metric = "loss"
seed = -1
[trainable]
plugin = "curve"
[scheduler]
plugin = "asha"
[scheduler.options]
reduction_factor = 1
)~");
    auto issues = load_issues(file, {}, &shipped_registry());
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].key_path == "experiment.seed");
}
