// Population Based Training through the real binaries: the sample experiment exploits and
// reports each trial's lineage, and a PBT run killed with SIGKILL (in the middle of its
// exploits) resumes to the run an uninterrupted host would have made.
#include <signal.h>

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <tuple>
#include <vector>

#include "fault/fault_test_support.hpp"
#include "support/file_contents.hpp"
#include "support/test_paths.hpp"

using Catch::Matchers::Contains;
using nlohmann::json;
namespace fs = std::filesystem;
using namespace tune::test;

namespace {

// PBT over the curve trainable's x, one trial at a time so that the run is deterministic:
// the same results reach the scheduler in the same order, with or without a kill.
std::string pbt_experiment(const TempDir &dir) {
    return write_experiment(dir, R"(
[experiment]
name = "pbt"
metric = "loss"
num_samples = 6
seed = 5
max_concurrent_trials = 1
results_dir = ")" + dir.path().string() + R"("
[trainable]
plugin = "curve"
[trainable.config]
noise = 0.01
sleep_ms = 8
[search_space]
x = { uniform = [-1.0, 1.0] }
rate = { loguniform = [0.1, 2.0] }
[scheduler]
plugin = "pbt"
[scheduler.options]
time_attr = "training_iteration"
perturbation_interval = 3
quantile_fraction = 0.5
[scheduler.options.hyperparam_mutations]
x = { uniform = [-1.0, 1.0] }
[stop]
training_iteration = 12
[checkpoint]
frequency = 2
num_to_keep = 1
)");
}

// trial id -> (status, training_iteration, config, last loss, lineage without times)
using Outcome = std::map<std::string, std::tuple<std::string, long long, json, double, json>>;

Outcome outcome(const json &summary) {
    Outcome trials;
    for (const auto &t : summary["trials"]) {
        json lineage = t["lineage"];
        for (auto &step : lineage) step.erase("time");
        trials[t["trial_id"]] = {t["status"], t["training_iteration"], t["config"], t["last_result"].value("loss", -1.0),
                                 lineage};
    }
    return trials;
}

std::size_t exploits(const json &summary) {
    std::size_t count = 0;
    for (const auto &t : summary["trials"]) count += t["lineage"].size();
    return count;
}

} // namespace

TEST_CASE("pbt end to end: the sample experiment exploits and tune results shows each trial's lineage", "[pbt]") {
    TempDir dir;
    const auto run = run_tune({"run", (source_dir() / "samples" / "experiments" / "noisy_quadratic_pbt.toml").string(),
                               "--set", "experiment.results_dir=" + dir.path().string(), "--progress", "quiet"});
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    const fs::path experiment = dir.path() / "noisy_quadratic_pbt";
    const json summary = read_json(experiment / "summary.json");
    REQUIRE(exploits(summary) > 0);
    CHECK(read_json_lines(experiment / "pbt_global.txt").size() == exploits(summary));
    for (const auto &t : summary["trials"]) {
        INFO("trial " << t["trial_id"]);
        CHECK(t["status"] == "TERMINATED");
        CHECK(t["training_iteration"] == 40);
        if (t["lineage"].empty()) continue;
        const json &last = t["lineage"].back();
        CHECK(last["new_config"] == t["config"]); // the config it finished with is its last exploit's
        const std::string trial_dir = t["dir"];
        // Its policy log is its last donor's, then its last exploit in Ray's six fields; so it may hold fewer lines
        // than its own lineage, when that donor had exploited less often.
        const auto policy = read_json_lines(experiment / ("pbt_policy_" + t["trial_id"].get<std::string>() + ".txt"));
        REQUIRE_FALSE(policy.empty());
        CHECK(policy.back() == json::array({t["trial_id"], last["donor"], last["iteration"], last["donor_iteration"],
                                            policy.back()[4], last["new_config"]}));
        // Its results go on from each donor's iteration: one line per step it trained.
        std::size_t expected_lines = 0;
        long long start = 0;
        for (const auto &step : t["lineage"]) {
            expected_lines += static_cast<std::size_t>(step["iteration"].get<long long>() - start);
            start = step["donor_iteration"].get<long long>();
        }
        expected_lines += static_cast<std::size_t>(40 - start);
        CHECK(logged_iterations(experiment / trial_dir).size() == expected_lines);
    }
    const auto results = run_tune({"results", experiment.string()});
    CHECK(results.exit_code == 0);
    CHECK_THAT(results.out, Contains("Lineage (exploits, oldest first):") && Contains("continued from trial_"));
}

TEST_CASE("pbt end to end: a PBT run killed with SIGKILL at several points ends as an uninterrupted one", "[pbt]") {
    TempDir reference_dir, killed_dir;
    const auto reference = run_tune({"run", pbt_experiment(reference_dir), "--progress", "quiet"});
    INFO(reference.err);
    REQUIRE(reference.exit_code == 0);
    const json expected = read_json(reference_dir.path() / "pbt" / "summary.json");
    REQUIRE(exploits(expected) >= 3);

    const fs::path experiment = killed_dir.path() / "pbt";
    std::vector<std::string> command = {"run", pbt_experiment(killed_dir), "--progress", "quiet"};
    int kills = 0;
    // Kill the host as trials 2, 4 and 5 start, by then amid the population's exploits.
    for (const char *trial : {"trial_00002", "trial_00004", "trial_00005"}) {
        const int pid = start_tune(command, killed_dir.path() / "tune.log");
        wait_for_file(experiment / trial / "params.json");
        std::this_thread::sleep_for(std::chrono::milliseconds(40)); // into its steps
        ::kill(pid, SIGKILL);
        kills += wait_for_exit(pid) == 128 + SIGKILL;
        command = {"resume", experiment.string(), "--progress", "quiet"};
    }
    CHECK(kills >= 2);
    const auto resumed = run_tune(command);
    INFO(resumed.err);
    REQUIRE(resumed.exit_code == 0);
    const json actual = read_json(experiment / "summary.json");
    CHECK(outcome(actual) == outcome(expected)); // same exploits, configs and results
    CHECK(actual["best_trial"]["trial_id"] == expected["best_trial"]["trial_id"]);
}
