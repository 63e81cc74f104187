// The experiment loader on valid files, and its schema errors: unknown keys and sections,
// wrong types, values out of range, missing required keys, TOML syntax.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "config/config_test_support.hpp"
#include "core/config/experiment_loader.hpp"

using Catch::Matchers::Contains;
using tune::core::ConfigError;
using tune::core::ConfigIssue;
using tune::core::load_experiment;
using tune::core::MetricThreshold;
using tune::test::check_issue;
using tune::test::kMinimalExperiment;
using tune::test::load_issues;
using tune::test::TempDir;
using tune::test::write_file;

TEST_CASE("config: a full file gives every Experiment field", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "full.toml", R"~([experiment]
name = "curve_asha"
metric = "loss"
mode = "max"
num_samples = 20
seed = 42
results_dir = "out/results"
max_concurrent_trials = 3
time_budget_s = 600
total_cpus = 2
total_gpus = 0
max_failures = 1

[trainable]
plugin = "org.tune.sample.curve"
resources = { cpu = 1, gpu = 0.25 }
[trainable.config]
noise = 0.02
nested = { depth = 2, tags = ["a", "b"] }

[search_space]
x = { uniform = [-1, 1] }
l1 = { sample_from = "2 ** randint(2, 9)" }

[searcher]
plugin = "org.tune.searcher.grid"

[scheduler]
plugin = "asha"
[scheduler.options]
max_t = 10
grace_period = 1

[stop]
training_iteration = 10
time_total_s = 60.5
[stop.metrics]
loss = { at_most = 0.05 }
accuracy = 0.98
reward = { at_least = 7 }

[checkpoint]
frequency = 2
at_end = false
num_to_keep = 3
score_attribute = "accuracy"
score_order = "min"
)~");
    auto experiment = load_experiment(file, {}, nullptr);
    CHECK(experiment.source_file == file);
    CHECK(experiment.name == "curve_asha");
    CHECK(experiment.metric == "loss");
    CHECK(experiment.mode == TUNE_MODE_MAX);
    CHECK(experiment.num_samples == 20);
    CHECK(experiment.seed == 42);
    CHECK(experiment.results_dir == "out/results");
    CHECK(experiment.experiment_dir() == std::filesystem::path("out/results/curve_asha"));
    CHECK(experiment.max_concurrent_trials == 3);
    CHECK(experiment.time_budget_s == 600.0);
    CHECK(experiment.total_cpus == 2.0);
    CHECK(experiment.total_gpus == 0.0);
    CHECK(experiment.max_failures == 1);
    CHECK(experiment.trainable_plugin == "org.tune.sample.curve");
    CHECK(experiment.resources.cpu == 1.0);
    CHECK(experiment.resources.gpu == 0.25);
    CHECK(experiment.trainable_config ==
          nlohmann::json{{"noise", 0.02}, {"nested", {{"depth", 2}, {"tags", {"a", "b"}}}}});
    CHECK(experiment.search_space ==
          nlohmann::json::parse(R"~({"x": {"uniform": [-1, 1]}, "l1": {"sample_from": "2 ** randint(2, 9)"}})~"));
    CHECK(experiment.searcher.plugin == "org.tune.searcher.grid");
    CHECK(experiment.searcher.options == nlohmann::json::object());
    CHECK(experiment.scheduler.plugin == "asha"); // no registry: kept as written
    CHECK(experiment.scheduler.options == nlohmann::json{{"max_t", 10}, {"grace_period", 1}});
    CHECK(experiment.stop.training_iteration == 10);
    CHECK(experiment.stop.time_total_s == 60.5);
    REQUIRE(experiment.stop.metrics.size() == 3);
    CHECK(experiment.stop.metrics.at("loss").direction == MetricThreshold::Direction::AtMost);
    CHECK(experiment.stop.metrics.at("loss").value == 0.05);
    CHECK(experiment.stop.metrics.at("accuracy").direction == MetricThreshold::Direction::AtLeast);
    CHECK(experiment.stop.metrics.at("accuracy").value == 0.98);
    CHECK(experiment.stop.metrics.at("reward").direction == MetricThreshold::Direction::AtLeast);
    CHECK(experiment.stop.metrics.at("reward").value == 7.0);
    CHECK(experiment.checkpoint.frequency == 2);
    CHECK_FALSE(experiment.checkpoint.at_end);
    CHECK(experiment.checkpoint.num_to_keep == 3);
    CHECK(experiment.checkpoint.score_attribute == "accuracy");
    CHECK(experiment.checkpoint.score_order == TUNE_MODE_MIN);
}

TEST_CASE("config: a minimal file gets the documented defaults", "[config]") {
    TempDir dir;
    auto experiment = load_experiment(write_file(dir, "min.toml", kMinimalExperiment), {}, nullptr);
    CHECK(experiment.mode == TUNE_MODE_MIN);
    CHECK(experiment.num_samples == 1);
    CHECK(experiment.seed == 0);
    CHECK(experiment.results_dir == "results");
    CHECK(experiment.max_concurrent_trials == 0);
    CHECK_FALSE(experiment.time_budget_s);
    CHECK_FALSE(experiment.total_cpus);
    CHECK_FALSE(experiment.total_gpus);
    CHECK(experiment.max_failures == 0);
    CHECK(experiment.trainable_plugin == "curve");
    CHECK(experiment.resources.cpu == 1.0);
    CHECK(experiment.resources.gpu == 0.0);
    CHECK(experiment.trainable_config == nlohmann::json::object());
    CHECK(experiment.search_space == nlohmann::json::object());
    CHECK(experiment.searcher.plugin == "org.tune.searcher.random");
    CHECK(experiment.scheduler.plugin == "org.tune.scheduler.fifo");
    CHECK_FALSE(experiment.stop.training_iteration);
    CHECK_FALSE(experiment.stop.time_total_s);
    CHECK(experiment.stop.metrics.empty());
    CHECK(experiment.checkpoint.frequency == 0);
    CHECK(experiment.checkpoint.at_end);
    CHECK(experiment.checkpoint.num_to_keep == 0);
    CHECK(experiment.checkpoint.score_attribute == "loss"); // the experiment's metric
    CHECK(experiment.checkpoint.score_order == TUNE_MODE_MIN);
}

TEST_CASE("config: checkpoint score order defaults to the experiment's mode", "[config]") {
    TempDir dir;
    auto experiment = load_experiment(write_file(dir, "max.toml", R"~([experiment]
name = "t"
metric = "accuracy"
mode = "max"
[trainable]
plugin = "curve"
)~"),
                                      {}, nullptr);
    CHECK(experiment.checkpoint.score_attribute == "accuracy");
    CHECK(experiment.checkpoint.score_order == TUNE_MODE_MAX);
}

TEST_CASE("config: an unknown key names its path and suggests the closest known key", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "unknown.toml", R"~([experiment]
name = "t"
metric = "loss"
num_sample = 20
Seed = 1
colour = "red"
[trainable]
plugin = "curve"
resources = { cpu = 1, gpus = 1 }
[stopp]
training_iteration = 1
[checkpoint]
frequncy = 1
)~");
    auto issues = load_issues(file);
    CHECK(issues.size() == 6);
    check_issue(issues, file.string(), 4, 1, "experiment.num_sample",
                "unknown key 'experiment.num_sample'; did you mean 'num_samples'?");
    CHECK(issues.front().message == "unknown key 'experiment.num_sample'; did you mean 'num_samples'?");
    // Keys are case-sensitive.
    check_issue(issues, file.string(), 5, 1, "experiment.Seed", "unknown key 'experiment.Seed'; did you mean 'seed'?");
    check_issue(issues, file.string(), 6, 1, "experiment.colour",
                "unknown key 'experiment.colour'; known keys: name, metric, mode, num_samples, seed, results_dir, "
                "max_concurrent_trials, time_budget_s, total_cpus, total_gpus, max_failures");
    check_issue(issues, file.string(), 9, 24, "trainable.resources.gpus",
                "unknown key 'trainable.resources.gpus'; did you mean 'gpu'?");
    check_issue(issues, file.string(), 10, 2, "stopp", "unknown section 'stopp'; did you mean 'stop'?");
    check_issue(issues, file.string(), 13, 1, "checkpoint.frequncy",
                "unknown key 'checkpoint.frequncy'; did you mean 'frequency'?");
}

TEST_CASE("config: an unknown section far from every known one lists them", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "section.toml", kMinimalExperiment + "[model]\nlayers = 3\n");
    auto issues = load_issues(file);
    REQUIRE(issues.size() == 1);
    check_issue(issues, file.string(), 6, 2, "model",
                "unknown section 'model'; known sections: experiment, trainable, search_space, searcher, scheduler, "
                "stop, checkpoint");
}

TEST_CASE("config: a key above every section header points to its section", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "top.toml", R"~(name = "t"
[experiment]
metric = "loss"
[trainable]
plugin = "curve"
)~");
    auto issues = load_issues(file);
    REQUIRE(issues.size() == 2);
    check_issue(issues, file.string(), 1, 1, "name",
                "unknown key 'name' outside any section; did you mean 'experiment.name' under [experiment]?");
    check_issue(issues, file.string(), 2, 1, "experiment.name", "missing required key 'experiment.name'");
}

TEST_CASE("config: a wrong type says what was expected and what was found", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "types.toml", R"~([experiment]
name = "t"
metric = "loss"
num_samples = "ten"
seed = 1.5
mode = "minimum"
time_budget_s = 600
total_cpus = true
[trainable]
plugin = 5
resources = 2
config = "x"
[searcher]
options = [1]
[checkpoint]
at_end = "yes"
[stop.metrics]
loss = "low"
acc = { at_most = 1, at_least = 0 }
f1 = {}
[scheduler]
plugin = ""
)~");
    auto issues = load_issues(file);
    const std::string name = file.string();
    CHECK(issues.size() == 13);
    check_issue(issues, name, 4, 15, "experiment.num_samples", "expected an integer >= 1, got string \"ten\"");
    check_issue(issues, name, 5, 8, "experiment.seed", "expected an integer >= 0, got float 1.5");
    check_issue(issues, name, 6, 8, "experiment.mode", "expected \"min\" or \"max\", got string \"minimum\"");
    check_issue(issues, name, 8, 14, "experiment.total_cpus", "expected a number > 0, got boolean true");
    check_issue(issues, name, 10, 10, "trainable.plugin", "expected a non-empty string, got integer 5");
    check_issue(issues, name, 11, 13, "trainable.resources", "expected a table, got integer 2");
    check_issue(issues, name, 12, 10, "trainable.config", "expected a table, got string \"x\"");
    check_issue(issues, name, 14, 11, "searcher.options", "expected a table, got array [1]");
    check_issue(issues, name, 16, 10, "checkpoint.at_end", "expected a boolean, got string \"yes\"");
    check_issue(issues, name, 18, 8, "stop.metrics.loss",
                "expected a number, or a table { at_least = N } or { at_most = N }, got string \"low\"");
    check_issue(issues, name, 19, 7, "stop.metrics.acc", "expected one of at_least or at_most, got both");
    check_issue(issues, name, 20, 6, "stop.metrics.f1", "got an empty table");
    check_issue(issues, name, 22, 10, "scheduler.plugin", "expected a non-empty string, got string \"\"");
}

TEST_CASE("config: a section that is not a table is a wrong type", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "section_type.toml", "stop = 5\n" + kMinimalExperiment);
    auto issues = load_issues(file);
    REQUIRE(issues.size() == 1);
    check_issue(issues, file.string(), 1, 8, "stop", "expected a table, got integer 5");
}

TEST_CASE("config: the experiment name must be usable as a folder name", "[config]") {
    TempDir dir;
    for (const std::string bad : {"my exp", "..", "a/b", ""}) {
        auto file = write_file(dir, "name.toml", "[experiment]\nname = \"" + bad + "\"\nmetric = \"m\"\n[trainable]\n"
                                                 "plugin = \"curve\"\n");
        auto issues = load_issues(file);
        REQUIRE(issues.size() == 1);
        check_issue(issues, file.string(), 2, 8, "experiment.name",
                    "expected a name of letters, digits, '_', '.' and '-' other than \".\" and \"..\", got string \"" +
                        bad + "\"");
    }
    auto file = write_file(dir, "good_name.toml",
                           "[experiment]\nname = \"run-1.v2_b\"\nmetric = \"m\"\n[trainable]\nplugin = \"curve\"\n");
    CHECK(load_experiment(file, {}, nullptr).name == "run-1.v2_b");
}

namespace {

struct RangeCase {
    std::string section;
    std::string key;
    std::string value;    // as written in TOML
    std::string expected; // what the message says was expected
};

} // namespace

TEST_CASE("config: every numeric key rejects a value out of its range", "[config]") {
    const std::vector<RangeCase> cases{
        {"experiment", "num_samples", "0", "an integer >= 1"},
        {"experiment", "num_samples", "-3", "an integer >= 1"},
        {"experiment", "seed", "-1", "an integer >= 0"},
        {"experiment", "max_concurrent_trials", "-1", "an integer >= 0"},
        {"experiment", "time_budget_s", "0", "a number > 0"},
        {"experiment", "time_budget_s", "-1.5", "a number > 0"},
        {"experiment", "time_budget_s", "inf", "a number > 0"},
        {"experiment", "total_cpus", "0", "a number > 0"},
        {"experiment", "total_gpus", "-1", "a number >= 0"},
        {"experiment", "total_gpus", "nan", "a number >= 0"},
        {"experiment", "max_failures", "-1", "an integer >= 0"},
        {"experiment", "cpus_per_node", "0", "a number > 0"},
        {"experiment", "gpus_per_node", "-2", "a number >= 0"},
        {"trainable.resources", "cpu", "0", "a number > 0"},
        {"trainable.resources", "gpu", "-0.5", "a number >= 0"},
        {"trainable.resources", "gpu", "1.5", "a number >= 0 that is a fraction < 1 or a whole number"},
        {"stop", "training_iteration", "0", "an integer >= 1"},
        {"stop", "time_total_s", "0", "a number > 0"},
        {"stop.metrics", "loss", "-inf", "a finite number"},
        {"checkpoint", "frequency", "-1", "an integer >= 0"},
        {"checkpoint", "num_to_keep", "-2", "an integer >= 0"},
        {"searcher", "max_concurrent", "-1", "an integer >= 0"},
        {"searcher", "repeat", "0", "an integer >= 1"},
    };
    TempDir dir;
    for (const auto &range : cases) {
        INFO(range.section << "." << range.key << " = " << range.value);
        std::string line = range.key + " = " + range.value + "\n";
        const std::string experiment_head = "[experiment]\nname = \"t\"\nmetric = \"loss\"\n";
        std::string text = range.section == "experiment" ? experiment_head + line + "[trainable]\nplugin = \"c\"\n"
                                                         : kMinimalExperiment + "[" + range.section + "]\n" + line;
        auto file = write_file(dir, "range.toml", text);
        auto issues = load_issues(file);
        REQUIRE(issues.size() == 1);
        check_issue(issues, file.string(), range.section == "experiment" ? 4 : 7,
                    static_cast<int>(range.key.size()) + 4, range.section + "." + range.key,
                    "expected " + range.expected + ", got " + range.value);
    }
}

TEST_CASE("config: values on the edge of their range are accepted", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "edges.toml", R"~([experiment]
name = "t"
metric = "loss"
seed = 0
max_concurrent_trials = 0
total_gpus = 0
max_failures = 0
time_budget_s = 0.001
[trainable]
plugin = "curve"
resources = { cpu = 0.5, gpu = 2 }
[checkpoint]
frequency = 0
num_to_keep = 0
[stop]
training_iteration = 1
)~");
    auto experiment = load_experiment(file, {}, nullptr);
    CHECK(experiment.total_gpus == 0.0);
    CHECK(experiment.time_budget_s == 0.001);
    CHECK(experiment.resources.cpu == 0.5);
    CHECK(experiment.resources.gpu == 2.0);
    CHECK(experiment.stop.training_iteration == 1);
}

TEST_CASE("config: missing required keys are located at their section, or the file's start", "[config]") {
    TempDir dir;
    SECTION("sections present but empty") {
        auto file = write_file(dir, "empty_sections.toml", "# an experiment\n[experiment]\n\n[trainable]\n");
        auto issues = load_issues(file);
        REQUIRE(issues.size() == 3);
        check_issue(issues, file.string(), 2, 1, "experiment.name",
                    "missing required key 'experiment.name'; expected a name of letters");
        check_issue(issues, file.string(), 2, 1, "experiment.metric", "missing required key 'experiment.metric'");
        check_issue(issues, file.string(), 4, 1, "trainable.plugin", "missing required key 'trainable.plugin'");
    }
    SECTION("sections absent") {
        auto file = write_file(dir, "no_sections.toml", "# nothing here\n\n[stop]\ntraining_iteration = 3\n");
        auto issues = load_issues(file);
        REQUIRE(issues.size() == 3);
        check_issue(issues, file.string(), 1, 1, "experiment.name", "missing required key 'experiment.name'");
        check_issue(issues, file.string(), 1, 1, "experiment.metric", "missing required key 'experiment.metric'");
        check_issue(issues, file.string(), 1, 1, "trainable.plugin", "missing required key 'trainable.plugin'");
    }
}

TEST_CASE("config: a TOML syntax error is one issue at toml++'s position", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "syntax.toml", "[experiment]\nname = \"t\"\nmetric = \"loss\nnum_samples = 3\n");
    auto issues = load_issues(file);
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].file == file.string());
    CHECK(issues[0].line == 3);
    CHECK(issues[0].column > 1);
    CHECK(issues[0].key_path.empty());
    CHECK_THAT(issues[0].message, Contains("string"));

    auto duplicate = write_file(dir, "duplicate.toml", "[experiment]\nname = \"t\"\nname = \"u\"\n");
    issues = load_issues(duplicate);
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].line == 3);
    CHECK_THAT(issues[0].message, Contains("redefine"));
}

TEST_CASE("config: a missing file is one issue", "[config]") {
    TempDir dir;
    auto issues = load_issues(dir.path() / "absent.toml");
    REQUIRE(issues.size() == 1);
    CHECK(issues[0].to_string() == (dir.path() / "absent.toml").string() +
                                       ": cannot read the experiment file: no such file");
    issues = load_issues(dir.path());
    REQUIRE(issues.size() == 1);
    CHECK_THAT(issues[0].message, Contains("it is a directory"));
}

TEST_CASE("config: a 1 GB file and /dev/zero are refused by size, read only to the limit", "[config]") {
    TempDir dir;
    const auto huge = dir.path() / "huge.toml";
    std::ofstream(huge) << "[experiment]\n";
    std::filesystem::resize_file(huge, std::uintmax_t{1} << 30); // sparse: nothing written
    for (const std::filesystem::path &file : {huge, std::filesystem::path("/dev/zero")}) {
        const auto issues = load_issues(file);
        REQUIRE(issues.size() == 1);
        CHECK(issues[0].to_string() ==
              file.string() + ": the experiment file is larger than 16 MiB; an experiment file holds settings and a "
                              "search space, not data");
    }
}

TEST_CASE("config: issues come in file order, and what() lists them one per line", "[config]") {
    TempDir dir;
    auto file = write_file(dir, "order.toml", R"~([trainable]
plugin = "curve"
colour = 1
[experiment]
name = "t"
metric = "loss"
seed = -1
)~");
    try {
        load_experiment(file, {}, nullptr);
        FAIL("expected a ConfigError");
    } catch (const ConfigError &error) {
        REQUIRE(error.issues().size() == 2);
        CHECK(error.issues()[0].line == 3);
        CHECK(error.issues()[1].line == 7);
        CHECK(std::string(error.what()) ==
              error.issues()[0].to_string() + "\n" + error.issues()[1].to_string());
    }
}

TEST_CASE("config: an issue prints as FILE:LINE:COL: KEY.PATH: MESSAGE", "[config]") {
    CHECK(ConfigIssue{"a.toml", 3, 5, "x.y", "bad"}.to_string() == "a.toml:3:5: x.y: bad");
    CHECK(ConfigIssue{"a.toml", 1, 1, "", "bad"}.to_string() == "a.toml:1:1: bad");
    CHECK(ConfigIssue{"--set", 0, 0, "", "bad"}.to_string() == "--set: bad");
}
