// A trainable that crashes, aborts, throws, exits or hangs ends only its own trial: the worker
// is replaced, the cause is recorded, and the trial is retried from its latest checkpoint up to
// max_failures times (org.tune.sample.faulty makes each failure happen on purpose).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <map>

#include "fault/fault_test_support.hpp"
#include "support/test_paths.hpp"

using Catch::Matchers::Contains;
using nlohmann::json;
namespace fs = std::filesystem;
using namespace tune::test;

namespace {

std::string faulty_experiment(const TempDir &dir, const std::string &name, const std::string &extra) {
    return write_experiment(dir, R"(
[experiment]
name = ")" + name + R"("
metric = "loss"
results_dir = ")" + dir.path().string() + R"("
total_cpus = 2
)" + extra);
}

std::map<std::string, json> trials_by(const json &summary, const std::string &key) {
    std::map<std::string, json> trials;
    for (const auto &trial : summary["trials"]) trials[trial["config"][key].dump()] = trial;
    return trials;
}

} // namespace

TEST_CASE("failures: each kind of fault ends only its trial, which stays ERROR after max_failures retries",
          "[fault]") {
    TempDir dir;
    auto file = faulty_experiment(dir, "kinds", R"(max_failures = 1
[trainable]
plugin = "faulty"
[trainable.config]
fault_at = 2
[search_space]
fault = { grid_search = ["segfault", "abort", "throw", "exit", "none"] }
[stop]
training_iteration = 3
[checkpoint]
frequency = 1
)");
    auto result = run_tune({"run", file, "--progress", "quiet"});
    INFO(result.err);
    CHECK(result.exit_code == 1); // trials in ERROR
    json summary = read_json(dir.path() / "kinds" / "summary.json");
    auto trials = trials_by(summary, "fault");
    REQUIRE(trials.size() == 5);
    const std::map<std::string, std::string> causes{{"\"segfault\"", "killed by signal 11"},
                                                    {"\"abort\"", "killed by signal 6"},
                                                    {"\"throw\"", "faulty: exception thrown at iteration 2"},
                                                    {"\"exit\"", "exited with status 3"}};
    for (const auto &[fault, cause] : causes) {
        INFO(fault);
        const json &trial = trials.at(fault);
        CHECK(trial["status"] == "ERROR");
        CHECK(trial["failures"] == 2); // the first run and its one retry
        CHECK(trial["training_iteration"] == 1);
        CHECK_THAT(trial["error"].get<std::string>(), Contains(cause));
    }
    // The worker's last lines of stderr come with a crash.
    CHECK_THAT(trials.at("\"segfault\"")["error"].get<std::string>(), Contains("faulty: segfault at iteration 2"));
    // Each failure is also in the trial's error.txt.
    std::ifstream errors(dir.path() / "kinds" / ("trial_" + trials.at("\"abort\"")["trial_id"].get<std::string>()) /
                         "error.txt");
    std::string text((std::istreambuf_iterator<char>(errors)), std::istreambuf_iterator<char>());
    CHECK_THAT(text, Contains("failure 1 at") && Contains("failure 2 at") && Contains("killed by signal 6"));
    const json &healthy = trials.at("\"none\"");
    CHECK(healthy["status"] == "TERMINATED");
    CHECK(healthy["failures"] == 0);
    CHECK(healthy["training_iteration"] == 3);
    CHECK(logged_iterations(dir.path() / "kinds" / ("trial_" + healthy["trial_id"].get<std::string>())) == one_to(3));
}

TEST_CASE("failures: a retried trial continues from its latest checkpoint and finishes", "[fault]") {
    TempDir dir;
    auto file = faulty_experiment(dir, "retry", R"(max_failures = 2
[trainable]
plugin = "faulty"
[trainable.config]
fault_at = 3
fault_times = 1
[search_space]
fault = { grid_search = ["segfault", "throw"] }
[stop]
training_iteration = 5
[checkpoint]
frequency = 2
)");
    auto result = run_tune({"run", file, "--progress", "quiet"});
    INFO(result.err);
    REQUIRE(result.exit_code == 0);
    json summary = read_json(dir.path() / "retry" / "summary.json");
    for (const auto &trial : summary["trials"]) {
        CHECK(trial["status"] == "TERMINATED");
        CHECK(trial["failures"] == 1);
        CHECK(trial["training_iteration"] == 5);
        CHECK_THAT(trial["error"].get<std::string>(), Contains("at iteration 3")); // the failure survived
        // Restored from checkpoint_000002: iteration 3 was the first after the restore, and
        // the log shows each iteration once.
        const fs::path trial_dir = dir.path() / "retry" / ("trial_" + trial["trial_id"].get<std::string>());
        CHECK(logged_iterations(trial_dir) == one_to(5));
        std::ifstream in(trial_dir / "result.jsonl");
        std::string line;
        for (int i = 0; i < 3; ++i) std::getline(in, line);
        CHECK(json::parse(line)["iterations_since_restore"] == 1);
    }
}

TEST_CASE("failures: a hung step is ended by step_timeout_s, the worker replaced and the trial retried",
          "[fault]") {
    TempDir dir;
    auto file = faulty_experiment(dir, "hang", R"(max_failures = 1
step_timeout_s = 1.0
[trainable]
plugin = "faulty"
[trainable.config]
fault = "hang"
fault_at = 2
[search_space]
fault_times = { grid_search = [1, 0] }
[stop]
training_iteration = 3
[checkpoint]
frequency = 1
)");
    auto result = run_tune({"run", file, "--progress", "quiet"});
    INFO(result.err);
    CHECK(result.exit_code == 1);
    json summary = read_json(dir.path() / "hang" / "summary.json");
    auto trials = trials_by(summary, "fault_times");
    const json &once = trials.at("1"), &always = trials.at("0");
    CHECK(once["status"] == "TERMINATED");
    CHECK(once["training_iteration"] == 3);
    CHECK(once["failures"] == 1);
    CHECK_THAT(once["error"].get<std::string>(),
               Contains("no reply to Step within step_timeout_s = 1 s") && Contains("faulty: hang at iteration 2"));
    CHECK(always["status"] == "ERROR");
    CHECK(always["failures"] == 2);
}

TEST_CASE("failures: a fault with probability 0 never happens, and a bad fault option is a config error",
          "[fault]") {
    TempDir dir;
    auto file = faulty_experiment(dir, "odds", R"(
[trainable]
plugin = "faulty"
[trainable.config]
fault = "segfault"
fault_probability = 0.0
[search_space]
x = { grid_search = [0.1, 0.2] }
[stop]
training_iteration = 4
)");
    auto result = run_tune({"run", file, "--progress", "quiet"});
    INFO(result.err);
    CHECK(result.exit_code == 0);
    const json summary = read_json(dir.path() / "odds" / "summary.json"); // alive through the loop
    for (const auto &trial : summary["trials"])
        CHECK(trial["training_iteration"] == 4);

    auto bad = run_tune({"run", file, "--progress", "quiet", "--overwrite", "--set", "trainable.config.fault=\"melt\""});
    CHECK(bad.exit_code == 1);
    CHECK_THAT(read_json(dir.path() / "odds" / "summary.json")["trials"][0]["error"].get<std::string>(),
               Contains("config key 'fault' must be one of"));
}
