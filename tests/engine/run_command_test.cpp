// `tune run` end to end: real worker processes, real plugins, the results folder.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <signal.h>

#include <chrono>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "support/test_paths.hpp"
#include "support/file_contents.hpp"

using Catch::Matchers::Contains;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

tune::test::CommandResult run_sample(const std::string &sample, const tune::test::TempDir &dir,
                                     std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"run", (tune::test::source_dir() / "samples" / "experiments" / sample).string(),
                                  "--progress", "plain", "--set", "experiment.results_dir=\"" + dir.path().string() + "\""};
    args.insert(args.end(), extra.begin(), extra.end());
    return tune::test::run_tune(args);
}

std::string write_experiment(const tune::test::TempDir &dir, const std::string &body) {
    auto file = dir.path() / "experiment.toml";
    std::ofstream(file) << body;
    return file.string();
}

// The most trials that were training at the same moment, from their result timestamps.
int max_overlap(const fs::path &experiment) {
    std::vector<std::pair<double, int>> events;
    for (const auto &entry : fs::directory_iterator(experiment)) {
        if (entry.path().filename().string().rfind("trial_", 0) != 0) continue;
        auto results = tune::test::read_json_lines(entry.path() / "result.jsonl");
        if (results.empty()) continue;
        double start = results.front()["timestamp"].get<double>() - results.front()["time_this_iter_s"].get<double>();
        events.push_back({start, +1});
        events.push_back({results.back()["timestamp"].get<double>(), -1});
    }
    std::sort(events.begin(), events.end());
    int now = 0, most = 0;
    for (const auto &[time, delta] : events) most = std::max(most, now += delta);
    return most;
}

} // namespace

TEST_CASE("run: the ASHA sample runs 24 trials, stops some early and prints the best", "[run][asha]") {
    tune::test::TempDir dir;
    auto result = run_sample("curve_asha.toml", dir, {"--set", "trainable.config.sleep_ms=0"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    CHECK_THAT(result.out, Contains("Best trial: trial_") && Contains("config:"));

    const fs::path experiment = dir.path() / "curve_asha";
    json summary = tune::test::read_json(experiment / "summary.json");
    REQUIRE(summary["trials"].size() == 24);
    int early = 0, full = 0;
    for (const auto &trial : summary["trials"]) {
        CHECK(trial["status"] == "TERMINATED");
        long long iterations = trial["training_iteration"];
        if (iterations == 27) ++full;
        if (trial["stop_reason"].get<std::string>().find("scheduler") != std::string::npos) {
            ++early;
            CHECK(iterations < 27);
        }
        // Every trial folder has its files and an at-end checkpoint.
        const fs::path trial_dir = experiment / trial["dir"].get<std::string>();
        CHECK(fs::exists(trial_dir / "params.json"));
        CHECK(fs::exists(trial_dir / "progress.csv"));
        CHECK(tune::test::read_json_lines(trial_dir / "result.jsonl").size() == static_cast<std::size_t>(iterations));
        CHECK(fs::exists(trial["checkpoint"].get<std::string>()));
    }
    CHECK(early > 0);
    CHECK(full > 0);
    const json &best = summary["best_trial"];
    REQUIRE(best.is_object());
    for (const auto &trial : summary["trials"])
        CHECK(trial["last_result"]["loss"].get<double>() >= best["value"].get<double>());

    // The audit trail holds each scheduler decision with the cutoff it was compared with.
    bool saw_cutoff = false;
    for (const auto &trial : summary["trials"])
        for (const auto &decision : tune::test::read_json_lines(experiment / trial["dir"].get<std::string>() / "decisions.jsonl"))
            saw_cutoff = saw_cutoff || (decision["detail"].contains("cutoff") && !decision["detail"]["cutoff"].is_null());
    CHECK(saw_cutoff);

    auto shown = tune::test::run_tune({"results", experiment.string()});
    CHECK(shown.exit_code == 0);
    CHECK_THAT(shown.out, Contains("Best trial: trial_" + best["trial_id"].get<std::string>()));
}

TEST_CASE("run: grid search with FIFO runs the whole grid to the stop criterion", "[run][grid]") {
    tune::test::TempDir dir;
    auto result = run_sample("curve_grid_fifo.toml", dir);
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    json summary = tune::test::read_json(dir.path() / "curve_grid_fifo" / "summary.json");
    REQUIRE(summary["trials"].size() == 16); // 4 x values * 2 y values * 2 rate choices
    std::set<std::string> configs;
    for (const auto &trial : summary["trials"]) {
        CHECK(trial["training_iteration"] == 10);
        CHECK(trial["stop_reason"] == "training_iteration 10 >= 10");
        configs.insert(trial["config"].dump());
    }
    CHECK(configs.size() == 16);
    // The noise-free optimum: x = 0.3, y = -0.1, the faster rate.
    CHECK(summary["best_trial"]["config"] == json{{"rate", 1.0}, {"x", 0.3}, {"y", -0.1}});
    // The trainable's evaluate() scored the best checkpoint (iteration 10): exp(-10).
    CHECK(summary["best_trial"]["evaluation"]["test_loss"].get<double>() == Approx(std::exp(-10.0)));
    CHECK_THAT(result.out, Contains("test_loss (evaluate)"));
}

TEST_CASE("run: the same seed gives the same trial configs", "[run][seed]") {
    tune::test::TempDir first, second;
    std::vector<std::string> small{"--set", "experiment.num_samples=5", "--set", "trainable.config.sleep_ms=0"};
    REQUIRE(run_sample("curve_asha.toml", first, small).exit_code == 0);
    REQUIRE(run_sample("curve_asha.toml", second, small).exit_code == 0);
    auto configs = [](const tune::test::TempDir &dir) {
        std::vector<std::string> list;
        const json summary = tune::test::read_json(dir.path() / "curve_asha" / "summary.json");
        for (const auto &trial : summary["trials"]) list.push_back(trial["config"].dump());
        return list;
    };
    CHECK(configs(first) == configs(second));
    CHECK(configs(first).size() == 5);
}

TEST_CASE("run: trials run concurrently up to the CPUs, and within max_concurrent_trials", "[run][resources]") {
    tune::test::TempDir dir;
    std::vector<std::string> slow{"--set", "trainable.config.sleep_ms=60", "--set", "experiment.total_cpus=2",
                                  "--set", "stop.training_iteration=2"};
    REQUIRE(run_sample("curve_grid_fifo.toml", dir, slow).exit_code == 0);
    CHECK(max_overlap(dir.path() / "curve_grid_fifo") == 2);

    tune::test::TempDir serial;
    slow.insert(slow.end(), {"--set", "experiment.max_concurrent_trials=1"});
    REQUIRE(run_sample("curve_grid_fifo.toml", serial, slow).exit_code == 0);
    CHECK(max_overlap(serial.path() / "curve_grid_fifo") == 1);
}

TEST_CASE("run: a trial whose setup fails ends in ERROR with the plugin's message, exit status 1", "[run][error]") {
    tune::test::TempDir dir;
    auto file = write_experiment(dir, R"(
[experiment]
name = "failing"
metric = "loss"
num_samples = 2
results_dir = ")" + dir.path().string() + R"("
[trainable]
plugin = "c_quadratic"
[trainable.config]
x = "not a number"
[stop]
training_iteration = 3
)");
    auto result = tune::test::run_tune({"run", file, "--progress", "quiet"});
    CHECK(result.exit_code == 1);
    json summary = tune::test::read_json(dir.path() / "failing" / "summary.json");
    for (const auto &trial : summary["trials"]) {
        CHECK(trial["status"] == "ERROR");
        CHECK_THAT(trial["error"].get<std::string>(), Contains("'x' must be a number"));
    }
    CHECK_THAT(result.out, Contains("ERROR"));
}

TEST_CASE("run: a worker that dies ends only its own trial, with the signal and its last output", "[run][error]") {
    tune::test::TempDir dir;
    auto file = write_experiment(dir, R"(
[experiment]
name = "crashing"
metric = "loss"
results_dir = ")" + dir.path().string() + R"("
[trainable]
plugin = "org.tune.test.crashing"
[search_space]
crash_at = { grid_search = [0, 2, 0] }
[stop]
training_iteration = 3
)");
    auto result = tune::test::run_tune(
        {"--plugin-path", (tune::test::broken_plugin_dir() / "crashing_trainable.so").string(), "run", file,
         "--progress", "quiet"});
    CHECK(result.exit_code == 1);
    json summary = tune::test::read_json(dir.path() / "crashing" / "summary.json");
    REQUIRE(summary["trials"].size() == 3);
    for (const auto &trial : summary["trials"]) {
        if (trial["config"]["crash_at"] == 2) {
            CHECK(trial["status"] == "ERROR");
            CHECK(trial["training_iteration"] == 1);
            CHECK_THAT(trial["error"].get<std::string>(),
                       Contains("killed by signal 6") && Contains("crashing on purpose at iteration 2"));
        } else {
            CHECK(trial["status"] == "TERMINATED");
            CHECK(trial["training_iteration"] == 3);
        }
    }
}

TEST_CASE("run: a scheduler decision that is no TUNE_DECISION_* ends the run with exit status 3, naming the plugin, "
          "the call and the value",
          "[run][error]") {
    tune::test::TempDir dir;
    auto file = write_experiment(dir, R"(
[experiment]
name = "bad_decision"
metric = "loss"
num_samples = 1
results_dir = ")" + dir.path().string() + R"("
[trainable]
plugin = "curve"
[scheduler]
plugin = "org.tune.test.invalid_decision"
[search_space]
x = { uniform = [0, 1] }
[stop]
training_iteration = 5
)");
    // The scheduler answers decision 7 to every trial's third result.
    auto result = tune::test::run_tune(
        {"--plugin-path", (tune::test::broken_plugin_dir() / "invalid_decision_scheduler.so").string(), "run", file,
         "--progress", "quiet"});
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Contains("plugin 'org.tune.test.invalid_decision' (invalid_decision_scheduler.so): "
                                    "on_trial_result returned decision 7, expected 0..2 (TUNE_DECISION_CONTINUE, "
                                    "TUNE_DECISION_PAUSE, TUNE_DECISION_STOP)"));
}

TEST_CASE("run: a metric threshold stops trials, checkpoints are kept by score", "[run][stop]") {
    tune::test::TempDir dir;
    auto file = write_experiment(dir, R"(
[experiment]
name = "threshold"
metric = "loss"
num_samples = 1
results_dir = ")" + dir.path().string() + R"("
[trainable]
plugin = "c_quadratic"
[search_space]
x = 1.0
[stop.metrics]
loss = { at_most = 0.2 }
[checkpoint]
frequency = 1
num_to_keep = 2
)");
    auto result = tune::test::run_tune({"run", file, "--progress", "quiet"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    json trial = tune::test::read_json(dir.path() / "threshold" / "summary.json")["trials"][0];
    // loss = (x-1)^2 + 1/t = 1/t <= 0.2 first at t = 5
    CHECK(trial["training_iteration"] == 5);
    CHECK(trial["stop_reason"] == "loss 0.2 <= 0.2");
    std::set<std::string> checkpoints;
    for (const auto &entry : fs::directory_iterator(dir.path() / "threshold" / "trial_00000"))
        if (entry.path().filename().string().rfind("checkpoint_", 0) == 0) checkpoints.insert(entry.path().filename());
    // Lowest loss is the latest here, so the two kept are iterations 4 and 5.
    CHECK(checkpoints == std::set<std::string>{"checkpoint_000004", "checkpoint_000005"});
}

TEST_CASE("run: the time budget ends the experiment after the current steps", "[run][budget]") {
    tune::test::TempDir dir;
    auto result = run_sample("curve_grid_fifo.toml", dir,
                             {"--set", "experiment.time_budget_s=0.5", "--set", "trainable.config.sleep_ms=100",
                              "--set", "experiment.total_cpus=2"});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    json summary = tune::test::read_json(dir.path() / "curve_grid_fifo" / "summary.json");
    CHECK(summary["end_reason"] == "time budget reached");
    int stopped = 0;
    for (const auto &trial : summary["trials"]) {
        CHECK(trial["training_iteration"].get<long long>() < 10);
        stopped += trial["stop_reason"] == "time budget reached";
    }
    CHECK(stopped == 2); // the two running when the budget ran out
}

TEST_CASE("run: Ctrl-C stops gracefully, pauses the running trials, writes the summary, and exits 130",
          "[run][interrupt]") {
    tune::test::TempDir dir;
    const fs::path experiment = dir.path() / "curve_grid_fifo";
    int pid = tune::test::start_tune(
        {"run", (tune::test::source_dir() / "samples" / "experiments" / "curve_grid_fifo.toml").string(),
         "--progress", "plain", "--set", "experiment.results_dir=\"" + dir.path().string() + "\"", "--set",
         "trainable.config.sleep_ms=200", "--set", "experiment.total_cpus=2"},
        dir.path() / "tune.log");
    // Interrupt once the first result is on disk (the logs are flushed on each progress tick,
    // so wait for the trial folder instead, which appears when the trial starts).
    for (int i = 0; i < 500 && !fs::exists(experiment / "trial_00001" / "params.json"); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    REQUIRE(fs::exists(experiment / "trial_00001" / "params.json"));
    ::kill(pid, SIGINT);
    CHECK(tune::test::wait_for_exit(pid) == 130);

    json summary = tune::test::read_json(experiment / "summary.json");
    CHECK(summary["end_reason"] == "interrupted");
    int interrupted = 0;
    for (const auto &trial : summary["trials"]) {
        CHECK(trial["status"] != "RUNNING");
        if (trial["status"] == "PAUSED") { // `tune resume` continues them (tests/fault/resume_test.cpp)
            CHECK(trial["stop_reason"] == "interrupted");
            CHECK(trial["training_iteration"].get<long long>() >= 1); // the step in flight finished
            ++interrupted;
        }
    }
    CHECK(interrupted == 2);
}

TEST_CASE("run: an existing experiment folder is refused without --overwrite", "[run]") {
    tune::test::TempDir dir;
    std::vector<std::string> tiny{"--set", "experiment.num_samples=1", "--set", "stop.training_iteration=1"};
    REQUIRE(run_sample("curve_grid_fifo.toml", dir, tiny).exit_code == 0);
    auto again = run_sample("curve_grid_fifo.toml", dir, tiny);
    CHECK(again.exit_code == 2);
    CHECK_THAT(again.err, Contains("already holds an experiment") && Contains("--overwrite"));
    tiny.push_back("--overwrite");
    CHECK(run_sample("curve_grid_fifo.toml", dir, tiny).exit_code == 0);
}

TEST_CASE("results: a folder without summary.json is a clear error", "[results]") {
    tune::test::TempDir dir;
    auto result = tune::test::run_tune({"results", dir.path().string()});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("summary.json not found"));
}

TEST_CASE("run: a --progress-interval that is not a number of seconds is refused plainly", "[run][cli]") {
    tune::test::TempDir dir;
    for (const std::string value : {"0", "nan", "-1", "1e9", "soon"}) {
        INFO(value);
        const auto result = run_sample("curve_grid_fifo.toml", dir, {"--progress-interval", value});
        CHECK(result.exit_code == 2);
        CHECK_THAT(result.err, Contains("expected a number of seconds > 0 and <= 86400, got '" + value + "'"));
        CHECK(result.err.size() < 400); // no 300-digit bound
        CHECK_FALSE(fs::exists(dir.path() / "curve_grid_fifo"));
    }
}

TEST_CASE("results: a summary.json that is a folder is an error naming it", "[run][cli]") {
    tune::test::TempDir dir;
    fs::create_directories(dir.path() / "summary.json");
    const auto result = tune::test::run_tune({"results", dir.path().string()});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains((dir.path() / "summary.json").string() + " is not a regular file"));
}
