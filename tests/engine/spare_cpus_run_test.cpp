// `tune run` with [experiment] lend_spare_cpus, through the real host, workers and the
// update_context extension: when one of two trials ends, the other trains on both CPUs from
// its next step on, and its results are those of a run that lends nothing.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

#include "support/file_contents.hpp"
#include "support/test_paths.hpp"

using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Two trials on 2 CPUs: trial 0 reports done after 3 steps, trial 1 after 20.
fs::path run_two_trials(const tune::test::TempDir &dir, const std::string &name, bool lend, bool keeps_threads) {
    const fs::path file = dir.path() / (name + ".toml");
    std::ofstream(file) << "[experiment]\nname = \"" << name << "\"\nmetric = \"loss\"\nresults_dir = \""
                        << (dir.path() / "results").string() << "\"\ntotal_cpus = 2\nlend_spare_cpus = "
                        << (lend ? "true" : "false") << R"(
[trainable]
plugin = "org.tune.test.threads"
[trainable.config]
sleep_ms = 30
keeps_threads = )" << (keeps_threads ? "true" : "false")
                        << R"(
[search_space]
length = { grid_search = [3, 20] }
)";
    const auto run = tune::test::run_tune(
        {"run", file.string(), "--plugin-path", tune::test::test_plugin_dir().string(), "--progress", "quiet"});
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    return dir.path() / "results" / name;
}

std::vector<unsigned> threads_of(const fs::path &trial_dir) {
    std::vector<unsigned> threads;
    for (const json &result : tune::test::read_json_lines(trial_dir / "result.jsonl")) threads.push_back(result.at("threads"));
    return threads;
}

std::vector<double> losses_of(const fs::path &trial_dir) {
    std::vector<double> losses;
    for (const json &result : tune::test::read_json_lines(trial_dir / "result.jsonl")) losses.push_back(result.at("loss"));
    return losses;
}

} // namespace

TEST_CASE("spare cpus: a lone trial trains on the CPUs another left, with the results of a fixed count",
          "[spare_cpus][e2e]") {
    tune::test::TempDir dir;
    const fs::path lent = run_two_trials(dir, "lent", true, false);
    const fs::path fixed = run_two_trials(dir, "fixed", false, false);

    // While both ran, each had its one CPU; once trial 0 ended, trial 1 got the other.
    CHECK(threads_of(lent / "trial_00000") == std::vector<unsigned>(3, 1));
    const auto threads = threads_of(lent / "trial_00001");
    INFO("trial 1's threads, step by step: " << json(threads).dump());
    REQUIRE(threads.size() == 20);
    CHECK(threads.front() == 1);
    CHECK(threads.back() == 2);
    CHECK(std::is_sorted(threads.begin(), threads.end())); // lent once, never taken back: nothing else wanted it

    CHECK(threads_of(fixed / "trial_00001") == std::vector<unsigned>(20, 1));
    for (const char *trial : {"trial_00000", "trial_00001"}) {
        INFO(trial);
        CHECK(losses_of(lent / trial) == losses_of(fixed / trial));
    }
}

TEST_CASE("spare cpus: a trainable that declines update_context keeps its count and finishes", "[spare_cpus][e2e]") {
    tune::test::TempDir dir;
    const fs::path kept = run_two_trials(dir, "kept", true, true);
    CHECK(threads_of(kept / "trial_00001") == std::vector<unsigned>(20, 1));
    const json summary = tune::test::read_json(kept / "summary.json");
    for (const auto &trial : summary["trials"]) CHECK(trial["status"] == "TERMINATED");
}
