// samples/cifar10_pbt.toml through the real tune binary: the CIFAR-10 LibTorch trainable
// (org.tune.cifar10) tuned by Population Based Training (org.tune.scheduler.pbt) over lr and
// momentum, on a small synthetic set that tune-data writes and the trainer's own reader loads.
// Made small with --set (4 trials, 6 epochs, 500 training records) and made to exploit: a
// perturbation every epoch, with half the population in each quantile. Built only with
// TUNE_BUILD_TORCH_PLUGINS=ON (CI builds it).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/synthetic_cifar.hpp"
#include "support/test_paths.hpp"
#include "support/file_contents.hpp"

using nlohmann::json;
using tune::test::read_json;
using tune::test::read_json_lines;
using tune::test::TempDir;
using Catch::Matchers::Contains;

namespace {

namespace fs = std::filesystem;

std::size_t count_lines(const fs::path &file) {
    std::ifstream in(file);
    std::size_t lines = 0;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) ++lines;
    return lines;
}

constexpr int kEpochs = 6;

} // namespace

TEST_CASE("cifar10 pbt: tune run exploits the best trials' checkpoints and keeps the lineage", "[cifar10]") {
    TempDir dir;
    const auto data = tune::test::make_synthetic_cifar(dir, 2000, 500);
    const auto run = tune::test::run_tune(
        {"run", (tune::test::source_dir() / "samples" / "cifar10_pbt.toml").string(), "--progress", "plain",
         "--set", "trainable.config.data_dir=" + data.string(), "--set",
         "experiment.results_dir=" + dir.path().string(), "--set", "experiment.num_samples=4", "--set",
         "stop.training_iteration=" + std::to_string(kEpochs), "--set", "trainable.config.train_subset=500",
         "--set", "scheduler.options.perturbation_interval=1", "--set", "scheduler.options.quantile_fraction=0.5"});
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    CHECK_THAT(run.out, Contains("test_accuracy"));
    const fs::path results = dir.path() / "cifar10_pbt";

    // The exploits are logged as Ray logs them.
    CHECK(count_lines(results / "pbt_global.txt") > 0);

    // Every trial trains to the end; at least one was exploited, and lists its lineage.
    const json summary = read_json(results / "summary.json");
    REQUIRE(summary.at("trials").size() == 4);
    json exploited;
    for (const json &trial : summary.at("trials")) {
        CHECK(trial.at("status") == "TERMINATED");
        CHECK(trial.at("training_iteration") == kEpochs);
        if (exploited.is_null() && trial.contains("lineage") && !trial.at("lineage").empty()) exploited = trial;
    }
    REQUIRE_FALSE(exploited.is_null());
    INFO("exploited trial: " << exploited.dump());
    const json &lineage = exploited.at("lineage");
    const json &first = lineage.front();
    CHECK(first.at("donor") != exploited.at("trial_id"));
    const fs::path trial_dir = results / exploited.at("dir").get<std::string>();

    // Its audit trail has the exploit decision.
    bool exploit_decision = false;
    for (const json &row : read_json_lines(trial_dir / "decisions.jsonl"))
        exploit_decision = exploit_decision || row.at("decision") == "EXPLOIT";
    CHECK(exploit_decision);

    // Its config now is the last exploit's new config, not the one it started with.
    const json params = read_json(trial_dir / "params.json");
    const json &latest = lineage.back().at("new_config");
    CHECK(params.at("lr") == latest.at("lr"));
    CHECK(params.at("momentum") == latest.at("momentum"));
    CHECK(params.at("lr") != first.at("old_config").at("lr"));

    // Its results go on after the first exploit, from the donor's checkpoint: the next epoch
    // is the donor's next one, trained in a new run, and the trial reaches the last epoch.
    const auto rows = read_json_lines(trial_dir / "result.jsonl");
    REQUIRE_FALSE(rows.empty());
    const int exploited_at = first.at("iteration").get<int>();
    const int donor_at = first.at("donor_iteration").get<int>();
    REQUIRE(donor_at < kEpochs);
    std::size_t at = 0;
    while (at < rows.size() && rows[at].at("training_iteration") != exploited_at) ++at;
    REQUIRE(at + 1 < rows.size());
    CHECK(rows[at + 1].at("training_iteration") == donor_at + 1);
    CHECK(rows[at + 1].at("iterations_since_restore") == 1);
    CHECK(rows.back().at("training_iteration") == kEpochs);
    CHECK(rows.back().at("done") == true);

    // tune results shows the lineage again.
    const auto shown = tune::test::run_tune({"results", results.string()});
    INFO(shown.out << shown.err);
    CHECK(shown.exit_code == 0);
    CHECK_THAT(shown.out, Contains("Lineage"));
}
