// samples/cifar10_tpe.toml through the real tune binary: the tutorial's experiment (the
// CIFAR-10 LibTorch trainable, its sample_from space, ASHA) with the TPE searcher, on a small
// synthetic set that tune-data writes and the trainer's own reader loads. Made small with --set
// (8 trials, 3 epochs, 500 training records) and sequential (one trial at a time, the searcher
// asked only once the previous trial ended), so that a seed gives one run. Built only with
// TUNE_BUILD_TORCH_PLUGINS=ON (CI builds it).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "support/synthetic_cifar.hpp"
#include "support/test_paths.hpp"

using nlohmann::json;
using tune::test::TempDir;

namespace {

namespace fs = std::filesystem;

constexpr int kTrials = 8;
constexpr int kStartup = 3;

// The configs by trial id of samples/cifar10_tpe.toml run with the given searcher settings.
std::map<std::string, json> run_sample(const TempDir &dir, const fs::path &data, const std::string &name,
                                       const std::vector<std::string> &searcher_settings) {
    std::vector<std::string> args = {"run",
                                     (tune::test::source_dir() / "samples" / "cifar10_tpe.toml").string(),
                                     "--progress",
                                     "quiet",
                                     "--set",
                                     "trainable.config.data_dir=" + data.string(),
                                     "--set",
                                     "experiment.results_dir=" + dir.path().string(),
                                     "--set",
                                     "experiment.name=" + name,
                                     "--set",
                                     "experiment.num_samples=" + std::to_string(kTrials),
                                     "--set",
                                     "experiment.max_concurrent_trials=1",
                                     "--set",
                                     "searcher.max_concurrent=1",
                                     "--set",
                                     "stop.training_iteration=3",
                                     "--set",
                                     "scheduler.options.max_t=3",
                                     "--set",
                                     "trainable.config.train_subset=500"};
    for (const auto &setting : searcher_settings) {
        args.push_back("--set");
        args.push_back(setting);
    }
    const auto run = tune::test::run_tune(args);
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    std::ifstream in(dir.path() / name / "summary.json");
    REQUIRE(in);
    const json summary = json::parse(in);
    REQUIRE(summary.at("trials").size() == kTrials);
    std::map<std::string, json> configs;
    for (const json &trial : summary.at("trials")) {
        CHECK(trial.at("status") == "TERMINATED");
        configs[trial.at("trial_id").get<std::string>()] = trial.at("config");
    }
    return configs;
}

bool is_power_of_two_in(long long value, long long low, long long high) {
    return value >= low && value <= high && (value & (value - 1)) == 0;
}

} // namespace

TEST_CASE("cifar10 tpe: the tutorial's space is searched by TPE after its random start", "[cifar10]") {
    TempDir dir;
    const auto data = tune::test::make_synthetic_cifar(dir, 2000, 500);
    const auto tpe = run_sample(dir, data, "tpe", {"searcher.options.n_startup_trials=" + std::to_string(kStartup)});
    // The same file with a startup as long as the run: every config is a random one.
    const auto random_only =
        run_sample(dir, data, "random_start", {"searcher.options.n_startup_trials=" + std::to_string(kTrials)});

    int index = 0, modelled_differ = 0;
    for (const auto &[trial_id, config] : tpe) {
        INFO("trial " << trial_id << ": " << config.dump());
        // Every draw stays in the tutorial's space, sample_from expressions included.
        CHECK(is_power_of_two_in(config.at("l1").get<long long>(), 4, 512));
        CHECK(is_power_of_two_in(config.at("l2").get<long long>(), 4, 512));
        const double lr = config.at("lr").get<double>();
        CHECK(lr >= 1e-4);
        CHECK(lr <= 1e-1);
        const long long batch = config.at("batch_size").get<long long>();
        CHECK((batch == 2 || batch == 4 || batch == 8 || batch == 16));
        // The random start is the same draws; after it, the model's suggestions are others.
        if (index < kStartup)
            CHECK(config == random_only.at(trial_id));
        else
            modelled_differ += config != random_only.at(trial_id);
        ++index;
    }
    CHECK(modelled_differ == kTrials - kStartup);
}
