// `tune validate FILE [--set key.path=value]...`, run as the real executable.
#include <fstream>

#include <catch2/catch.hpp>

#include "support/test_paths.hpp"

using Catch::Matchers::Contains;
using tune::test::run_tune;
using tune::test::TempDir;

namespace {

std::string write_experiment(const TempDir &dir, const std::string &name, const std::string &text) {
    auto file = dir.path() / name;
    std::ofstream(file) << text;
    return file.string();
}

const std::string kValidExperiment = R"~([experiment]
name = "curve_asha"
metric = "loss"
num_samples = 4

[trainable]
plugin = "curve"

[search_space]
x = { uniform = [-1.0, 1.0] }
width = { grid_search = [1, 2, 3] }
optimizer = { choice = ["adam", "sgd"] }

[scheduler]
plugin = "asha"
[scheduler.options]
max_t = 10
reduction_factor = 2
)~";

} // namespace

TEST_CASE("cli validate: a valid file prints a summary and exits 0", "[cli]") {
    TempDir dir;
    auto file = write_experiment(dir, "good.toml", kValidExperiment);
    auto result = run_tune({"validate", file});
    CHECK(result.exit_code == 0);
    CHECK(result.err.empty());
    CHECK(result.out == file + ": OK (12 trials: trainable org.tune.sample.curve, searcher org.tune.searcher.random, "
                              "scheduler org.tune.scheduler.asha, num_samples 4 x 3 grid points)\n");
}

TEST_CASE("cli validate: the grid searcher's trial count includes every choice", "[cli]") {
    TempDir dir;
    auto file = write_experiment(dir, "grid.toml", kValidExperiment);
    auto result = run_tune({"validate", file, "--set", "searcher.plugin=grid"});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Contains("OK (24 trials: ") && Contains("searcher org.tune.searcher.grid") &&
                               Contains("num_samples 4 x 6 grid points"));
}

TEST_CASE("cli validate: every issue goes to stderr, exit status 2", "[cli]") {
    TempDir dir;
    auto file = write_experiment(dir, "bad.toml", R"~([experiment]
name = "t"
metric = "loss"
num_sample = 20
[trainable]
plugin = "curve"
[search_space]
x = { choice = [] }
[scheduler]
plugin = "asha"
[scheduler.options]
reduction_factor = 1
)~");
    auto result = run_tune({"validate", file});
    CHECK(result.exit_code == 2);
    CHECK(result.out.empty());
    CHECK(result.err == file + ":4:1: experiment.num_sample: unknown key 'experiment.num_sample'; did you mean "
                               "'num_samples'?\n" +
                           file + ":8:5: search_space.x: choice expects a non-empty array of categories, found []\n"
                                  "tune: error: " +
                           file + " is not a valid experiment (2 issues)\n");
}

TEST_CASE("cli validate: plugin option errors and --set overrides", "[cli]") {
    TempDir dir;
    auto file = write_experiment(dir, "good.toml", kValidExperiment);

    auto rejected = run_tune({"validate", file, "--set", "scheduler.options.reduction_factor=1"});
    CHECK(rejected.exit_code == 2);
    CHECK_THAT(rejected.err, Contains(file + ":16:1: scheduler.options: plugin 'org.tune.scheduler.asha'") &&
                                 Contains("ASHA option 'reduction_factor' must be a number > 1, got 1"));

    auto overridden = run_tune({"validate", file, "--set", "experiment.num_samples=1", "--set", "scheduler.plugin=fifo",
                                "--set", "scheduler.options={}"});
    CHECK(overridden.exit_code == 0);
    CHECK_THAT(overridden.out, Contains("OK (3 trials: ") && Contains("scheduler org.tune.scheduler.fifo"));

    auto bad_value = run_tune({"validate", file, "--set", "experiment.num_samples=ten"});
    CHECK(bad_value.exit_code == 2);
    CHECK_THAT(bad_value.err, Contains("--set experiment.num_samples=ten:1:24: experiment.num_samples: expected an "
                                       "integer >= 1, got string \"ten\""));

    auto bad_override = run_tune({"validate", file, "--set", "experiment.num_samples"});
    CHECK(bad_override.exit_code == 2);
    CHECK_THAT(bad_override.err,
               Contains("--set: cannot apply --set 'experiment.num_samples': expected KEY.PATH=VALUE"));
}

TEST_CASE("cli validate: a missing file or argument is a usage error", "[cli]") {
    TempDir dir;
    auto missing = run_tune({"validate", (dir.path() / "absent.toml").string()});
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Contains("absent.toml: cannot read the experiment file: no such file"));
    CHECK(run_tune({"validate"}).exit_code == 2);
    auto help = run_tune({"validate", "--help"});
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Contains("--set"));
}
