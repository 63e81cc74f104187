// samples/command_pytorch: the PyTorch tutorial's Python training loop tuned through the
// command trainable, made small (2 trials, 2 epochs, 400 synthetic records from tune-data) and
// run end to end with Debian's python3-torch.
#include <catch2/catch.hpp>

#include <string>

#include "fault/fault_test_support.hpp"
#include "support/synthetic_cifar.hpp"
#include "support/test_paths.hpp"

using Catch::Matchers::Contains;
using nlohmann::json;
namespace fs = std::filesystem;
using namespace tune::test;

TEST_CASE("command pytorch sample: the tutorial's Python loop runs under tune with ASHA and checkpoints",
          "[command]") {
    // Debian's python3 with python3-torch, ahead of any other python3 on PATH.
    const std::vector<std::string> env = {"PATH=/usr/bin:/bin"};
    const auto torch = run_program({"/usr/bin/python3", "-c", "import torch"}, env);
    INFO("python3-torch is missing? apt-get install -y python3-torch (scripts/install-deps.sh --torch)\n"
         << torch.out << torch.err);
    REQUIRE(torch.exit_code == 0);

    TempDir dir;
    const fs::path data = make_synthetic_cifar(dir, 500, 100);
    // Relative paths in the sample start at the repository's root, where tune runs from.
    const auto run = run_tune({"run", (source_dir() / "samples" / "command_pytorch" / "cifar10_asha.toml").string(),
                               "--progress", "quiet", "--set", "trainable.config.data_dir=" + data.string(), "--set",
                               "experiment.results_dir=" + dir.path().string(), "--set", "experiment.num_samples=2",
                               "--set", "trainable.config.epochs=2", "--set", "trainable.config.train_subset=400",
                               "--set", "scheduler.options.max_t=2", "--set",
                               "trainable.config.command.working_dir=" + source_dir().string()},
                              env);
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    const json summary = read_json(dir.path() / "command_pytorch_asha" / "summary.json");
    REQUIRE(summary["trials"].size() == 2);
    for (const auto &trial : summary["trials"]) {
        INFO(trial.dump());
        CHECK(trial["status"] == "TERMINATED");
        const long long iterations = trial["training_iteration"].get<long long>();
        CHECK((iterations == 1 || iterations == 2));
        const double loss = trial["last_result"]["loss"].get<double>();
        CHECK(loss > 0.0);
        const double accuracy = trial["last_result"]["accuracy"].get<double>();
        CHECK((accuracy >= 0.0 && accuracy <= 1.0));
        const fs::path trial_dir = dir.path() / "command_pytorch_asha" / trial["dir"].get<std::string>();
        // Each checkpoint is the folder train_cifar.py wrote before the line that named it.
        CHECK(fs::exists(trial_dir / ("checkpoint_00000" + std::to_string(iterations)) / "checkpoint.pt"));
    }
}
