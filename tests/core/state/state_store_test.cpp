// The experiment state file: whole or absent, checked on load, and the previous good copy
// used when the current one is corrupt or truncated.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include <cereal/archives/portable_binary.hpp>

#include <sys/resource.h>

#include "core/state/state_input_archive.hpp"
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
    trial.lineage.push_back({4, "00000", 3, R"({"lr":0.2})", R"({"lr":0.1})", "2026-12-06T05:00:00Z"});
    trial.pending_exploit = tune::core::PendingExploitState{"00002", R"({"lr":0.05})", R"({"quantile":"lower"})", false};
    tune::core::TrialState donor; // trial ids are indices: the lineage's donors 00000 and 00002
    donor.id = "00000";
    donor.status = "TERMINATED";
    donor.config_json = R"({"lr":0.2})";
    state.trials.push_back(donor);
    state.trials.push_back(trial);
    donor.id = "00002";
    donor.status = "PAUSED";
    state.trials.push_back(donor);
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
    REQUIRE(state.trials.size() == 3);
    const auto &trial = state.trials[1];
    CHECK(trial.id == "00001");
    CHECK(trial.status == "RUNNING");
    CHECK(trial.seed == 0xFFFFFFFFFFFFFFFFULL);
    CHECK(trial.iteration == 7);
    REQUIRE(trial.checkpoints.size() == 1);
    CHECK(trial.checkpoints[0].dir == "trial_00001/checkpoint_000006");
    CHECK(trial.checkpoints[0].time_total_s == 1.0);
    CHECK(trial.error == "killed by signal 11");
    REQUIRE(trial.lineage.size() == 1);
    CHECK(trial.lineage[0].iteration == 4);
    CHECK(trial.lineage[0].donor == "00000");
    CHECK(trial.lineage[0].donor_iteration == 3);
    CHECK(trial.lineage[0].old_config_json == R"({"lr":0.2})");
    CHECK(trial.lineage[0].new_config_json == R"({"lr":0.1})");
    CHECK(trial.lineage[0].time == "2026-12-06T05:00:00Z");
    REQUIRE(trial.pending_exploit);
    CHECK(trial.pending_exploit->donor == "00002");
    CHECK(trial.pending_exploit->config_json == R"({"lr":0.05})");
    CHECK(trial.pending_exploit->detail_json == R"({"quantile":"lower"})");
    CHECK_FALSE(trial.pending_exploit->log_config);
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

namespace {

// The trial as format 1 (before lineage) archived it.
struct TrialStateFormat1 {
    tune::core::TrialState trial;
    template <class Archive> void serialize(Archive &archive) {
        archive(trial.id, trial.status, trial.config_json, trial.seed, trial.last_result_json, trial.iteration,
                trial.time_total_s, trial.checkpoints, trial.stop_reason, trial.error, trial.failures);
    }
};

// A whole format 1 file: the header, then the archive of that layout.
std::string encode_format_1(const ExperimentState &state) {
    std::vector<TrialStateFormat1> trials;
    for (const auto &trial : state.trials) trials.push_back({trial});
    std::ostringstream payload_stream;
    {
        cereal::PortableBinaryOutputArchive archive(payload_stream);
        archive(state.experiment_json, state.started_at, state.elapsed_s, state.workers_started,
                state.searcher_finished, state.searcher_plugin, state.searcher_state, state.scheduler_plugin,
                state.scheduler_state, trials, state.sequence);
    }
    const std::string payload = payload_stream.str();
    std::uint64_t checksum = 0xcbf29ce484222325ULL; // FNV-1a 64, as the header holds it
    for (const char c : payload) checksum = (checksum ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    std::string bytes = "TUNESTAT";
    auto put = [&](std::uint64_t value, int size) {
        for (int i = 0; i < size; ++i) bytes.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
    };
    put(1, 4);
    put(payload.size(), 8);
    put(checksum, 8);
    return bytes + payload;
}

} // namespace

TEST_CASE("state: a format 1 file, from before lineage, still loads with none", "[state]") {
    ExperimentState original = sample_state(4);
    const ExperimentState state = StateStore::decode(encode_format_1(original));
    REQUIRE(state.trials.size() == 3);
    CHECK(state.trials[1].id == "00001");
    CHECK(state.trials[1].failures == 1);
    CHECK(state.trials[1].checkpoints.at(0).dir == "trial_00001/checkpoint_000006");
    CHECK(state.trials[1].lineage.empty());
    CHECK_FALSE(state.trials[1].pending_exploit);
    CHECK(state.sequence == 4);
    CHECK(state.scheduler_state == R"({"rungs":[]})");
}

TEST_CASE("state: decoding rejects another format version", "[state]") {
    std::string bytes = StateStore::encode(sample_state(1));
    bytes[8] = 9; // the version field follows the 8-byte magic
    CHECK_THROWS_WITH(StateStore::decode(bytes), Contains("state format version 9"));
}

namespace {

long peak_rss_kib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

// The little-endian bytes of value, as cereal's portable archive writes a length.
std::string length_bytes(std::uint64_t value) {
    std::string bytes;
    for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
    return bytes;
}

} // namespace

TEST_CASE("state: a length of 2^40 with a valid checksum is refused with little memory used", "[state]") {
    const std::string file = StateStore::encode(sample_state(1));
    std::string payload = file.substr(StateStore::kHeaderSize);
    // The payload opens with cereal's byte-order flag, then the experiment definition's length.
    payload.replace(1, 8, length_bytes(std::uint64_t{1} << 40));
    const long before = peak_rss_kib();
    CHECK_THROWS_WITH(StateStore::decode(StateStore::frame(payload)),
                      Contains("corrupt") && Contains("a string of 1099511627776 at offset 1") &&
                          Contains("past the end"));
    CHECK(peak_rss_kib() - before < 64 * 1024);

    // A list is refused alike, before any element is made.
    const std::string list = std::string(1, '\1') + length_bytes(std::uint64_t{1} << 40) + "tail";
    tune::core::StateInputArchive archive(list, tune::core::kStateFormatVersion);
    std::vector<std::string> items;
    CHECK_THROWS_WITH(archive(items), Contains("a list of 1099511627776"));
    CHECK(peak_rss_kib() - before < 64 * 1024);
}

TEST_CASE("state: names that would leave the folder, unknown statuses and bad JSON make a copy corrupt", "[state]") {
    using Mutation = void (*)(ExperimentState &);
    const std::vector<std::pair<Mutation, std::string>> cases{
        {[](ExperimentState &s) { s.trials[1].id = "00002/../../../escaped_trial"; },
         "has the id '00002/../../../escaped_trial' (expected '00001')"},
        {[](ExperimentState &s) { s.trials[1].checkpoints[0].dir = "trial_00001/../../outside"; },
         "names the checkpoint 'trial_00001/../../outside'"},
        {[](ExperimentState &s) { s.trials[1].checkpoints[0].dir = "trial_00009/checkpoint_000001"; },
         "names the checkpoint 'trial_00009/checkpoint_000001'"},
        {[](ExperimentState &s) { s.trials[1].status = "SLEEPING"; }, "trial 00001 has the unknown status 'SLEEPING'"},
        {[](ExperimentState &s) { s.trials[1].lineage[0].donor = "../00000"; }, "unknown donor trial '../00000'"},
        {[](ExperimentState &s) { s.trials[1].pending_exploit->donor = "00003"; }, "unknown donor trial '00003'"},
        {[](ExperimentState &s) { s.trials[1].config_json = "{\"lr\":"; }, "trial 00001's config is not valid JSON"},
        {[](ExperimentState &s) { s.experiment_json = "[1]"; }, "definition is not a JSON object"},
    };
    for (const auto &[mutate, message] : cases) {
        INFO(message);
        tune::test::TempDir dir;
        StateStore store(dir.path());
        store.save(sample_state(1));
        store.save(sample_state(1)); // now also the previous copy
        ExperimentState forged = sample_state(2);
        mutate(forged);
        CHECK_THROWS_WITH(StateStore::decode(StateStore::encode(forged)), Contains("corrupt") && Contains(message));
        // The forged copy in place, with its checksum right: the previous copy is used.
        std::ofstream(store.file(), std::ios::binary | std::ios::trunc) << StateStore::encode(forged);
        const auto loaded = store.load();
        CHECK(loaded.state.sequence == 1);
        CHECK_THAT(loaded.warnings.at(0), Contains(message));
    }
}

TEST_CASE("state: a copy the caller does not accept, or a folder in its place, falls back to the previous", "[state]") {
    tune::test::TempDir dir;
    StateStore store(dir.path());
    store.save(sample_state(1));
    store.save(sample_state(2));
    const auto loaded = store.load([](const ExperimentState &state) {
        if (state.sequence == 2) throw std::runtime_error("the definition has no trainable");
    });
    CHECK(loaded.state.sequence == 1);
    CHECK_THAT(loaded.warnings.at(0), Contains("corrupt: the definition has no trainable"));

    fs::remove(store.file());
    fs::create_directory(store.file());
    const auto beside_folder = store.load();
    CHECK(beside_folder.state.sequence == 1);
    CHECK_THAT(beside_folder.warnings.at(0), Contains("not a regular file") && !Contains("Success"));
}
