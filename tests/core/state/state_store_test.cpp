// The experiment state file: whole or absent, checked on load, and the previous good copy
// used when the current one is corrupt or truncated.
#include <catch2/catch.hpp>

#include <fstream>

#include "core/state/state_store.hpp"
#include "support/test_paths.hpp"

using Catch::Matchers::Contains;
using tune::core::ExperimentState;
using tune::core::StateError;
using tune::core::StateStore;
namespace fs = std::filesystem;

namespace {

ExperimentState sample_state(std::uint64_t sequence) {
    ExperimentState state;
    state.experiment_json = R"({"name":"x"})";
    state.started_at = "2026-11-27T09:00:00Z";
    state.elapsed_s = 12.5;
    state.workers_started = 3;
    state.searcher_finished = true;
    state.searcher_plugin = "org.tune.searcher.random";
    state.searcher_state = std::string("bytes\0with nul", 14);
    state.scheduler_plugin = "org.tune.scheduler.asha";
    state.scheduler_state = R"({"rungs":[]})";
    tune::core::TrialState trial;
    trial.id = "00001";
    trial.status = "RUNNING";
    trial.config_json = R"({"lr":0.1})";
    trial.seed = 0xFFFFFFFFFFFFFFFFULL;
    trial.last_result_json = R"({"loss":0.5})";
    trial.iteration = 7;
    trial.time_total_s = 1.25;
    trial.checkpoints.push_back({6, "trial_00001/checkpoint_000006", 0.5, 1.0});
    trial.stop_reason = "";
    trial.error = "killed by signal 11";
    trial.failures = 1;
    state.trials.push_back(trial);
    state.sequence = sequence;
    return state;
}

void flip_byte(const fs::path &file, std::streamoff offset) {
    std::fstream io(file, std::ios::in | std::ios::out | std::ios::binary);
    char byte = 0;
    io.seekg(offset);
    io.read(&byte, 1);
    byte = static_cast<char>(byte ^ 0x01);
    io.seekp(offset);
    io.write(&byte, 1);
}

} // namespace

TEST_CASE("state: a saved state loads back field for field", "[state]") {
    tune::test::TempDir dir;
    StateStore store(dir.path());
    CHECK_FALSE(store.exists());
    store.save(sample_state(1));
    CHECK(store.exists());
    auto loaded = store.load();
    CHECK(loaded.warnings.empty());
    CHECK(loaded.file == store.file());
    const ExperimentState &state = loaded.state;
    CHECK(state.experiment_json == R"({"name":"x"})");
    CHECK(state.elapsed_s == 12.5);
    CHECK(state.workers_started == 3);
    CHECK(state.searcher_finished);
    CHECK(state.searcher_state == std::string("bytes\0with nul", 14));
    CHECK(state.scheduler_state == R"({"rungs":[]})");
    REQUIRE(state.trials.size() == 1);
    const auto &trial = state.trials[0];
    CHECK(trial.id == "00001");
    CHECK(trial.status == "RUNNING");
    CHECK(trial.seed == 0xFFFFFFFFFFFFFFFFULL);
    CHECK(trial.iteration == 7);
    REQUIRE(trial.checkpoints.size() == 1);
    CHECK(trial.checkpoints[0].dir == "trial_00001/checkpoint_000006");
    CHECK(trial.checkpoints[0].time_total_s == 1.0);
    CHECK(trial.error == "killed by signal 11");
    CHECK(trial.failures == 1);
    CHECK(state.sequence == 1);
    CHECK_FALSE(fs::exists(dir.path() / "experiment_state.tmp"));
}

TEST_CASE("state: a corrupt current copy falls back to the previous one, saying why", "[state]") {
    tune::test::TempDir dir;
    StateStore store(dir.path());
    store.save(sample_state(1));
    store.save(sample_state(2));
    CHECK(store.load().state.sequence == 2);
    flip_byte(store.file(), static_cast<std::streamoff>(fs::file_size(store.file()) / 2));
    auto loaded = store.load();
    CHECK(loaded.state.sequence == 1);
    CHECK(loaded.file == store.previous_file());
    REQUIRE(loaded.warnings.size() == 1);
    CHECK_THAT(loaded.warnings[0], Contains("checksum mismatch") && Contains("experiment_state.prev.bin"));
}

TEST_CASE("state: a truncated or missing current copy falls back to the previous one", "[state]") {
    tune::test::TempDir dir;
    StateStore store(dir.path());
    store.save(sample_state(1));
    store.save(sample_state(2));
    fs::resize_file(store.file(), fs::file_size(store.file()) - 5);
    auto loaded = store.load();
    CHECK(loaded.state.sequence == 1);
    CHECK_THAT(loaded.warnings.at(0), Contains("truncated"));

    fs::remove(store.file()); // a host killed between the two renames of a save
    loaded = store.load();
    CHECK(loaded.state.sequence == 1);
    CHECK_THAT(loaded.warnings.at(0), Contains("missing"));
}

TEST_CASE("state: with no usable copy, loading fails naming what is wrong with each", "[state]") {
    tune::test::TempDir dir;
    StateStore store(dir.path());
    CHECK_THROWS_WITH(store.load(), Contains("missing"));
    store.save(sample_state(1));
    store.save(sample_state(2));
    std::ofstream(store.file(), std::ios::trunc) << "not a state";
    fs::resize_file(store.previous_file(), 0);
    CHECK_THROWS_WITH(store.load(), Contains("no usable experiment state") && Contains("bad header") &&
                                        Contains("experiment_state.prev.bin is empty"));
}

TEST_CASE("state: a state that cannot be written is a clear error and leaves the saved copy alone", "[state]") {
    tune::test::TempDir dir;
    StateStore missing(dir.path() / "no" / "such" / "folder");
    CHECK_THROWS_AS(missing.save(sample_state(1)), StateError);
    CHECK_THROWS_WITH(missing.save(sample_state(1)),
                      Contains("cannot write the experiment state to") && Contains("No such file or directory"));

    StateStore store(dir.path());
    store.save(sample_state(1));
    fs::create_directory(dir.path() / "experiment_state.tmp"); // the temporary name is taken
    CHECK_THROWS_AS(store.save(sample_state(2)), StateError);
    CHECK(store.load().state.sequence == 1);
}

TEST_CASE("state: decoding rejects another format version", "[state]") {
    std::string bytes = StateStore::encode(sample_state(1));
    bytes[8] = 9; // the version field follows the 8-byte magic
    CHECK_THROWS_WITH(StateStore::decode(bytes), Contains("state format version 9"));
}
