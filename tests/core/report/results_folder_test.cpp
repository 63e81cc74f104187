// The experiment folder read back for the HTML report: statuses from summary.json or, while
// it runs, from the files; torn and malformed lines; what is not an experiment folder.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>

#include "core/report/results_folder.hpp"
#include "support/test_paths.hpp"
#include "support/report_folder_fixture.hpp"

using Catch::Matchers::Contains;
using tune::core::read_results_folder;
namespace fs = std::filesystem;

namespace {

const tune::core::TrialHistory &trial(const tune::core::ResultsFolder &folder, const std::string &id) {
    for (const auto &t : folder.trials)
        if (t.id == id) return t;
    FAIL("no trial " << id);
    throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("results folder: a running experiment without summary.json gets statuses from its files", "[report]") {
    tune::test::TempDir dir;
    const fs::path experiment = dir.path() / "exp";
    tune::test::write_experiment_json(experiment);
    tune::test::write_trial(experiment, "00000", {{"lr", 0.01}}, {{0.9, 10}, {0.5, 11}});
    tune::test::write_trial(experiment, "00001", {{"lr", 0.02}}, {{1.2, 10}},
                            {{1, {{"rung", 1}, {"cutoff", -0.9}, {"value", -1.2}}}});
    fs::create_directories(experiment / "trial_00002"); // created, no result yet

    const auto folder = read_results_folder(experiment);
    CHECK_FALSE(folder.summary);
    REQUIRE(folder.trials.size() == 3);
    CHECK(trial(folder, "00000").status == "RUNNING");
    CHECK(trial(folder, "00000").points.size() == 2);
    CHECK(trial(folder, "00000").points[1].metric == 0.5);
    CHECK(trial(folder, "00001").status == "TERMINATED");
    CHECK(trial(folder, "00001").stopped_by_scheduler);
    REQUIRE(trial(folder, "00001").thresholds.size() == 1);
    CHECK(trial(folder, "00001").thresholds[0].threshold == -0.9);
    CHECK(trial(folder, "00001").thresholds[0].value == -1.2);
    CHECK(trial(folder, "00002").status == "PENDING");
    CHECK(folder.result_count == 3);
    CHECK(folder.lanes == std::vector<std::string>{"localhost:100"});
    CHECK(folder.problems.empty());
}

TEST_CASE("results folder: summary.json gives the statuses, configs and lineage", "[report]") {
    tune::test::TempDir dir;
    const fs::path experiment = dir.path() / "exp";
    tune::test::write_experiment_json(experiment);
    tune::test::write_trial(experiment, "00000", {{"lr", 0.01}}, {{0.9, 10}, {0.5, 11}});
    tune::core::ExperimentSummary summary;
    summary.name = "exp";
    summary.metric = "loss";
    summary.end_reason = "all trials finished";
    tune::core::TrialSummary t;
    t.id = "00000";
    t.dir = "trial_00000";
    t.status = "ERROR";
    t.stop_reason = "error";
    t.config = {{"lr", 0.03}};
    t.lineage = nlohmann::json::array({{{"donor", "00001"}, {"iteration", 2}}});
    summary.trials.push_back(t);
    tune::core::write_summary(experiment, summary);

    const auto folder = read_results_folder(experiment);
    REQUIRE(folder.summary);
    CHECK(trial(folder, "00000").status == "ERROR");
    CHECK(trial(folder, "00000").config["lr"] == 0.03); // the summary's: the config it ended with
    CHECK(trial(folder, "00000").lineage.size() == 1);
    CHECK(trial(folder, "00000").last_result["loss"] == 0.5); // read from result.jsonl
}

TEST_CASE("results folder: the scheduler's time_attr is the curves' x", "[report]") {
    tune::test::TempDir dir;
    const fs::path experiment = dir.path() / "exp";
    tune::test::write_experiment_json(experiment, "org.tune.scheduler.asha", {{"time_attr", "time_total_s"}});
    tune::core::TrialLogger logger(experiment / "trial_00000", nlohmann::json::object());
    logger.log_result(tune::core::ResultLine(nlohmann::json{{"loss", 1.0}, {"time_total_s", 2.5}, {"timestamp", 10.0}}));
    logger.flush();
    const auto folder = read_results_folder(experiment);
    CHECK(folder.time_attr == "time_total_s");
    REQUIRE(folder.trials.at(0).points.size() == 1);
    CHECK(folder.trials[0].points[0].step == 2.5);
}

TEST_CASE("results folder: a torn last line is skipped quietly and a malformed line is named", "[report]") {
    tune::test::TempDir dir;
    const fs::path experiment = dir.path() / "exp";
    tune::test::write_experiment_json(experiment);
    tune::test::write_trial(experiment, "00000", {{"lr", 0.01}}, {{0.9, 10}, {0.5, 11}});
    {
        std::ofstream out(experiment / "trial_00000" / "result.jsonl", std::ios::app);
        out << "not json\n{\"loss\": 0.4, \"training_iteration\": 3, \"timestamp\": 12}\n{\"loss\": 0.3, \"tra";
    }
    const auto folder = read_results_folder(experiment);
    const auto &points = folder.trials.at(0).points;
    REQUIRE(points.size() == 3);
    CHECK(points[2].metric == 0.4);
    REQUIRE(folder.problems.size() == 1);
    CHECK_THAT(folder.problems[0], Contains("trial_00000/result.jsonl line 3") && Contains("not a JSON object"));
}

TEST_CASE("results folder: a folder that is not an experiment is an error naming the file", "[report]") {
    tune::test::TempDir dir;
    CHECK_THROWS_WITH(read_results_folder(dir.path() / "missing"), Contains("is not a folder"));
    CHECK_THROWS_WITH(read_results_folder(dir.path()), Contains("experiment.json not found"));
    std::ofstream(dir.path() / "experiment.json") << "{\"metric\": ";
    CHECK_THROWS_WITH(read_results_folder(dir.path()), Contains("experiment.json is corrupt"));
    tune::test::write_experiment_json(dir.path());
    std::ofstream(dir.path() / "summary.json") << "[1, 2";
    CHECK_THROWS_WITH(read_results_folder(dir.path()), Contains("summary.json is corrupt"));
}
