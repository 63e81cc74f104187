#include <catch2/catch.hpp>

#include <fstream>

#include "core/state/experiment_errors.hpp"
#include "core/state/experiment_folder.hpp"
#include "support/test_paths.hpp"

using namespace tune::core;
using Catch::Matchers::Contains;

TEST_CASE("experiment folder: a new folder gets logs/ and experiment.json, an existing one needs --overwrite",
          "[folder]") {
    tune::test::TempDir dir;
    Experiment experiment;
    experiment.name = "unit";
    const auto path = dir.path() / "unit";
    {
        auto folder = ExperimentFolder::create(path, experiment, false);
        CHECK(std::filesystem::is_directory(folder->log_dir()));
        CHECK(std::filesystem::exists(path / "experiment.json"));
        // Held: neither a second run nor an overwrite may take it.
        CHECK_THROWS_AS(ExperimentFolder::create(path, experiment, true), ExperimentSetupError);
        CHECK_THROWS_AS(ExperimentFolder::reopen(path), ExperimentSetupError);
    }
    CHECK_THROWS_WITH(ExperimentFolder::create(path, experiment, false),
                      Contains("already holds an experiment") && Contains("--overwrite"));
    std::ofstream(path / "old.txt") << "from the first run";
    ExperimentFolder::create(path, experiment, true);
    CHECK_FALSE(std::filesystem::exists(path / "old.txt"));
}

TEST_CASE("experiment folder: reopening keeps everything in it", "[folder]") {
    tune::test::TempDir dir;
    std::filesystem::create_directories(dir.path() / "trial_00000");
    std::ofstream(dir.path() / "trial_00000" / "result.jsonl") << "{}\n";
    auto folder = ExperimentFolder::reopen(dir.path());
    CHECK(std::filesystem::exists(dir.path() / "trial_00000" / "result.jsonl"));
    CHECK(std::filesystem::is_directory(dir.path() / "logs"));
}
