#include <catch2/catch.hpp>

#include <cmath>

#include "core/engine/checkpoint_keeper.hpp"
#include "support/memory_storage.hpp"

using namespace tune::core;
using tune::test::MemoryCheckpoints;
namespace fs = std::filesystem;

namespace {

Trial make_trial() {
    Trial trial;
    trial.id = "00003";
    trial.dir = "/experiment/trial_00003";
    return trial;
}

// Saves trial's checkpoint at iteration with the given loss as its last result.
void save(CheckpointKeeper &keeper, MemoryCheckpoints &storage, Trial &trial, long long iteration, double loss) {
    trial.iteration = iteration;
    trial.time_total_s = static_cast<double>(iteration);
    trial.last_result = ResultLine(nlohmann::json{{"loss", loss}, {"training_iteration", iteration}});
    storage.write(keeper.begin(trial, iteration), {{"iteration", iteration}});
    keeper.commit(trial, iteration);
}

std::vector<long long> kept(const Trial &trial) {
    std::vector<long long> iterations;
    for (const auto &c : trial.checkpoints) iterations.push_back(c.iteration);
    return iterations;
}

} // namespace

TEST_CASE("checkpoint keeper: names, publishes and scores checkpoints", "[checkpoint]") {
    MemoryCheckpoints storage;
    CheckpointKeeper keeper(storage, CheckpointPolicy{}, "loss");
    Trial trial = make_trial();
    const fs::path folder = keeper.begin(trial, 5);
    CHECK(folder == "/experiment/trial_00003/checkpoint_000005.tmp");
    CHECK_FALSE(storage.exists("/experiment/trial_00003/checkpoint_000005")); // not before the save is done
    storage.write(folder, {{"weights", 1}});
    trial.last_result = ResultLine::from_text(R"({"loss": 0.5})");
    trial.time_total_s = 12.0;
    keeper.commit(trial, 5);
    REQUIRE(trial.checkpoints.size() == 1);
    CHECK(trial.checkpoints[0].dir == "/experiment/trial_00003/checkpoint_000005");
    CHECK(trial.checkpoints[0].score == 0.5);
    CHECK(trial.checkpoints[0].time_total_s == 12.0);
    CHECK(storage.read(trial.checkpoints[0].dir)["weights"] == 1);
    trial.last_result = ResultLine::from_text(R"({"accuracy": 0.9})"); // no loss: the score is NaN
    storage.write(keeper.begin(trial, 6), {});
    keeper.commit(trial, 6);
    CHECK(std::isnan(trial.checkpoints.back().score));
}

TEST_CASE("checkpoint keeper: retention keeps num_to_keep by score and always the latest, deletes wait for two saves",
          "[checkpoint]") {
    MemoryCheckpoints storage;
    CheckpointPolicy policy;
    policy.num_to_keep = 2;
    policy.score_order = TUNE_MODE_MIN;
    CheckpointKeeper keeper(storage, policy, "loss");
    Trial trial = make_trial();
    save(keeper, storage, trial, 1, 0.9);
    save(keeper, storage, trial, 2, 0.1); // the best
    save(keeper, storage, trial, 3, 0.5);
    save(keeper, storage, trial, 4, 0.8); // the latest
    CHECK(kept(trial) == std::vector<long long>{2, 3, 4}); // the two best by score, and the latest
    // A dropped checkpoint is still on disk: the saved states may name it.
    CHECK(storage.exists("/experiment/trial_00003/checkpoint_000001"));
    keeper.state_saved(1);
    CHECK(storage.exists("/experiment/trial_00003/checkpoint_000001"));
    keeper.state_saved(2); // dropped while state 0 was the newest: neither copy (2, 1) names it now
    CHECK_FALSE(storage.exists("/experiment/trial_00003/checkpoint_000001"));
    CHECK(storage.exists("/experiment/trial_00003/checkpoint_000004"));
    keeper.delete_dropped();
    CHECK(storage.published().size() == 3);
}

TEST_CASE("checkpoint keeper: a retried trial that saves an iteration again replaces the later records",
          "[checkpoint]") {
    MemoryCheckpoints storage;
    CheckpointKeeper keeper(storage, CheckpointPolicy{}, "loss");
    Trial trial = make_trial();
    save(keeper, storage, trial, 1, 0.9);
    save(keeper, storage, trial, 2, 0.8);
    save(keeper, storage, trial, 3, 0.7);
    save(keeper, storage, trial, 2, 0.6); // restored from 1, then saved 2 again
    CHECK(kept(trial) == std::vector<long long>{1, 2});
    CHECK(trial.checkpoints.back().score == 0.6);
}

TEST_CASE("checkpoint keeper: a resume keeps the saved checkpoints that exist and deletes unknown ones",
          "[checkpoint]") {
    MemoryCheckpoints storage;
    CheckpointKeeper keeper(storage, CheckpointPolicy{}, "loss");
    Trial trial = make_trial();
    save(keeper, storage, trial, 1, 0.9);
    save(keeper, storage, trial, 2, 0.8);
    save(keeper, storage, trial, 3, 0.7); // written after the state was saved
    storage.remove("/experiment/trial_00003/checkpoint_000001"); // lost
    Trial resumed = make_trial();
    keeper.restore(resumed,
                   {{1, "trial_00003/checkpoint_000001", 0.9, 1.0}, {2, "trial_00003/checkpoint_000002", 0.8, 2.0}},
                   "/experiment");
    CHECK(kept(resumed) == std::vector<long long>{2});
    CHECK_FALSE(storage.exists("/experiment/trial_00003/checkpoint_000003"));
}
