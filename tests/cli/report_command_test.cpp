// `tune report` through the real binary: where it writes, what it prints, and its errors.
#include <catch2/catch.hpp>

#include <fstream>

#include "support/test_paths.hpp"
#include "support/report_folder_fixture.hpp"

using Catch::Matchers::Contains;
namespace fs = std::filesystem;

TEST_CASE("tune report: writes the page and says where, with its counts", "[report]") {
    tune::test::TempDir dir;
    const fs::path experiment = dir.path() / "exp";
    tune::test::write_experiment_json(experiment);
    tune::test::write_trial(experiment, "00000", {{"lr", 0.01}}, {{0.9, 10}, {0.5, 11}});
    auto result = tune::test::run_tune({"report", experiment.string()});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Contains("Report: " + (experiment / "report.html").string()) &&
                               Contains("1 trials, 2 results"));
    CHECK(fs::file_size(experiment / "report.html") > 100000); // Chart.js is inside

    result = tune::test::run_tune({"report", experiment.string(), "-o", (dir.path() / "x.html").string()});
    CHECK(result.exit_code == 0);
    CHECK(fs::exists(dir.path() / "x.html"));
}

TEST_CASE("tune report: a malformed result line is a warning naming the file and line", "[report]") {
    tune::test::TempDir dir;
    const fs::path experiment = dir.path() / "exp";
    tune::test::write_experiment_json(experiment);
    tune::test::write_trial(experiment, "00000", {{"lr", 0.01}}, {{0.9, 10}});
    std::ofstream(experiment / "trial_00000" / "result.jsonl", std::ios::app) << "{\"loss\": oops}\n";
    const auto result = tune::test::run_tune({"report", experiment.string()});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.err, Contains("warning: trial_00000/result.jsonl line 2: not a JSON object; skipped"));
}

TEST_CASE("tune report: a page it cannot write is exit 1 naming the file", "[report]") {
    tune::test::TempDir dir;
    const fs::path experiment = dir.path() / "exp";
    tune::test::write_experiment_json(experiment);
    const auto result =
        tune::test::run_tune({"report", experiment.string(), "-o", (dir.path() / "no" / "report.html").string()});
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.err, Contains("cannot write " + (dir.path() / "no" / "report.html.tmp").string()));
}

TEST_CASE("tune report: a folder that is not an experiment is exit 2 naming what is missing", "[report]") {
    tune::test::TempDir dir;
    auto result = tune::test::run_tune({"report", dir.path().string()});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains((dir.path() / "experiment.json").string() + " not found"));
    CHECK_FALSE(fs::exists(dir.path() / "report.html"));
    result = tune::test::run_tune({"report", (dir.path() / "nope").string()});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("nope is not a folder"));
}
