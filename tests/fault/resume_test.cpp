// The host can be killed (SIGKILL), interrupted (Ctrl-C) or meet a full disk at any moment:
// `tune resume DIR` then continues the experiment from its saved state and ends as an
// uninterrupted run would.
#include <signal.h>

#include <catch2/catch.hpp>

#include <functional>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

#include "fault/fault_test_support.hpp"
#include "support/test_paths.hpp"

using Catch::Matchers::Contains;
using nlohmann::json;
namespace fs = std::filesystem;
using namespace tune::test;

namespace {

// Random search and ASHA, one trial at a time so that the run is deterministic: the same seed
// gives the same configs, the same rungs and so the same early stops.
std::string asha_experiment(const TempDir &dir) {
    return write_experiment(dir, R"(
[experiment]
name = "asha"
metric = "loss"
num_samples = 8
seed = 11
max_concurrent_trials = 1
results_dir = ")" + dir.path().string() + R"("
[trainable]
plugin = "curve"
[trainable.config]
noise = 0.05
sleep_ms = 8
[search_space]
x = { uniform = [-1.0, 1.0] }
rate = { loguniform = [0.1, 2.0] }
[scheduler]
plugin = "asha"
[scheduler.options]
max_t = 9
grace_period = 1
reduction_factor = 3
[stop]
training_iteration = 9
[checkpoint]
frequency = 2
)");
}

// trial id -> (status, training_iteration, config, last loss)
std::map<std::string, std::tuple<std::string, long long, json, double>> outcome(const json &summary) {
    std::map<std::string, std::tuple<std::string, long long, json, double>> trials;
    for (const auto &t : summary["trials"])
        trials[t["trial_id"]] = {t["status"], t["training_iteration"], t["config"],
                                 t["last_result"].value("loss", -1.0)};
    return trials;
}

void check_logs_once_per_iteration(const fs::path &experiment, const json &summary) {
    for (const auto &t : summary["trials"]) {
        INFO("trial " << t["trial_id"]);
        CHECK(logged_iterations(experiment / ("trial_" + t["trial_id"].get<std::string>())) ==
              one_to(t["training_iteration"].get<long long>()));
    }
}

std::vector<std::string> tune_args(std::vector<std::string> args) {
    args.push_back("--progress");
    args.push_back("quiet");
    return args;
}

} // namespace

TEST_CASE("resume: a run killed with SIGKILL at several points ends as an uninterrupted one", "[resume]") {
    TempDir reference_dir, killed_dir;
    auto reference = run_tune(tune_args({"run", asha_experiment(reference_dir)}));
    INFO(reference.err);
    REQUIRE(reference.exit_code == 0);
    const json expected = read_json(reference_dir.path() / "asha" / "summary.json");

    const fs::path experiment = killed_dir.path() / "asha";
    std::vector<std::string> command = tune_args({"run", asha_experiment(killed_dir)});
    int kills = 0;
    // Kill the host as trials 1, 3 and 5 start, each time resuming the run killed before.
    for (const char *trial : {"trial_00001", "trial_00003", "trial_00005"}) {
        int pid = start_tune(command, killed_dir.path() / "tune.log");
        wait_for_file(experiment / trial / "params.json");
        std::this_thread::sleep_for(std::chrono::milliseconds(30)); // into its steps
        ::kill(pid, SIGKILL);
        kills += wait_for_exit(pid) == 128 + SIGKILL;
        command = tune_args({"resume", experiment.string()});
    }
    CHECK(kills >= 2); // the run is long enough that the kills happened mid-run
    auto resumed = run_tune(command);
    INFO(resumed.err);
    REQUIRE(resumed.exit_code == 0);

    const json actual = read_json(experiment / "summary.json");
    CHECK(outcome(actual) == outcome(expected)); // same trials, configs, early stops and results
    CHECK(actual["best_trial"]["trial_id"] == expected["best_trial"]["trial_id"]);
    CHECK(actual["best_trial"]["value"] == expected["best_trial"]["value"]);
    check_logs_once_per_iteration(experiment, actual);
}

TEST_CASE("resume: Ctrl-C pauses the running trials with a checkpoint, and resume finishes the grid", "[resume]") {
    TempDir dir;
    const fs::path experiment = dir.path() / "curve_grid_fifo";
    const std::vector<std::string> run{
        "run", (source_dir() / "samples" / "experiments" / "curve_grid_fifo.toml").string(), "--progress", "plain",
        "--set", "experiment.results_dir=\"" + dir.path().string() + "\"", "--set", "trainable.config.sleep_ms=30",
        "--set", "experiment.total_cpus=2"};
    int pid = start_tune(run, dir.path() / "tune.log");
    REQUIRE(wait_for_file(experiment / "trial_00002" / "params.json"));
    ::kill(pid, SIGINT);
    CHECK(wait_for_exit(pid) == 130);

    json interrupted = read_json(experiment / "summary.json");
    CHECK(interrupted["end_reason"] == "interrupted");
    int paused = 0;
    for (const auto &trial : interrupted["trials"]) {
        CHECK(trial["status"] != "RUNNING");
        if (trial["status"] == "PAUSED") {
            CHECK(trial["stop_reason"] == "interrupted");
            CHECK_THAT(trial["checkpoint"].get<std::string>(), Contains("checkpoint_")); // saved on the way out
            ++paused;
        }
    }
    CHECK(paused >= 1); // those running at the time: one may have just ended and the next not begun

    auto resumed = run_tune({"resume", experiment.string(), "--progress", "quiet"});
    INFO(resumed.err);
    REQUIRE(resumed.exit_code == 0);
    json summary = read_json(experiment / "summary.json");
    REQUIRE(summary["trials"].size() == 16);
    for (const auto &trial : summary["trials"]) {
        CHECK(trial["status"] == "TERMINATED");
        CHECK(trial["training_iteration"] == 10);
    }
    check_logs_once_per_iteration(experiment, summary);
    // Noise-free curves: the best is the grid's optimum.
    CHECK(summary["best_trial"]["config"] == json{{"x", 0.3}, {"y", -0.1}, {"rate", 1.0}});
}

namespace {

// Two trials of three 200 ms steps, stopped at once by stop(pid) while they run: every trial
// is PAUSED (interrupted), exit 130, and `run --resume` finishes them.
void check_stop_at_once(const std::function<void(int pid)> &stop) {
    TempDir dir;
    const fs::path experiment = dir.path() / "curve_grid_fifo";
    // Two trials of three 200 ms steps.
    const std::vector<std::string> small{"--set", "experiment.results_dir=\"" + dir.path().string() + "\"",
                                         "--set", "experiment.total_cpus=2",
                                         "--set", "search_space.x={ grid_search = [0.3, 0.6] }",
                                         "--set", "search_space.y=-0.1",
                                         "--set", "search_space.rate=1.0",
                                         "--set", "stop.training_iteration=3"};
    std::vector<std::string> run{"run", (source_dir() / "samples" / "experiments" / "curve_grid_fifo.toml").string(),
                                 "--progress", "quiet", "--set", "trainable.config.sleep_ms=200"};
    run.insert(run.end(), small.begin(), small.end());
    int pid = start_tune(run, dir.path() / "tune.log");
    REQUIRE(wait_for_file(experiment / "trial_00001" / "params.json"));
    stop(pid);
    CHECK(wait_for_exit(pid) == 130);
    const json interrupted = read_json(experiment / "summary.json"); // alive through the loop
    for (const auto &trial : interrupted["trials"]) {
        CHECK(trial["status"] == "PAUSED");
        CHECK(trial["stop_reason"] == "interrupted");
    }

    std::vector<std::string> again{"run", (source_dir() / "samples" / "experiments" / "curve_grid_fifo.toml").string(),
                                   "--resume", "--progress", "quiet", "--set", "trainable.config.sleep_ms=0"};
    again.insert(again.end(), small.begin(), small.end());
    auto resumed = run_tune(again);
    INFO(resumed.err);
    REQUIRE(resumed.exit_code == 0);
    // The saved definition wins over the file's: sleep_ms differs, and that is said.
    CHECK_THAT(resumed.err, Contains("'trainable' differs from the experiment saved in"));
    json summary = read_json(experiment / "summary.json");
    REQUIRE(summary["trials"].size() == 2);
    for (const auto &trial : summary["trials"]) {
        CHECK(trial["status"] == "TERMINATED");
        CHECK(trial["training_iteration"] == 3);
    }
    check_logs_once_per_iteration(experiment, summary);
}

} // namespace

TEST_CASE("resume: a second Ctrl-C stops at once, and that too can be resumed", "[resume]") {
    check_stop_at_once([](int pid) {
        ::kill(pid, SIGINT);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        ::kill(pid, SIGINT);
    });
}

TEST_CASE("resume: SIGTERM stops at once, as mpirun and Slurm send it, and that too can be resumed", "[resume]") {
    check_stop_at_once([](int pid) { ::kill(pid, SIGTERM); });
}

TEST_CASE("resume: a corrupt state file is reported and the previous good copy is used", "[resume]") {
    TempDir dir;
    const fs::path experiment = dir.path() / "curve_grid_fifo";
    int pid = start_tune({"run", (source_dir() / "samples" / "experiments" / "curve_grid_fifo.toml").string(),
                          "--progress", "quiet", "--set", "experiment.results_dir=\"" + dir.path().string() + "\"",
                          "--set", "trainable.config.sleep_ms=30", "--set", "experiment.total_cpus=2"},
                         dir.path() / "tune.log");
    REQUIRE(wait_for_file(experiment / "experiment_state.prev.bin")); // saved twice at least
    REQUIRE(wait_for_file(experiment / "trial_00003" / "params.json"));
    ::kill(pid, SIGKILL);
    wait_for_exit(pid);

    // Flip a byte in the middle of the current copy.
    {
        std::fstream state(experiment / "experiment_state.bin", std::ios::in | std::ios::out | std::ios::binary);
        state.seekg(0, std::ios::end);
        const auto size = static_cast<std::streamoff>(state.tellg());
        state.seekp(size / 2);
        char byte = 0;
        state.seekg(size / 2);
        state.read(&byte, 1);
        byte = static_cast<char>(byte ^ 0x5a);
        state.seekp(size / 2);
        state.write(&byte, 1);
    }
    auto resumed = run_tune({"resume", experiment.string(), "--progress", "quiet"});
    INFO(resumed.err);
    REQUIRE(resumed.exit_code == 0);
    CHECK_THAT(resumed.err, Contains("experiment_state.bin is corrupt: checksum mismatch") &&
                                Contains("using the previous copy"));
    json summary = read_json(experiment / "summary.json");
    REQUIRE(summary["trials"].size() == 16);
    for (const auto &trial : summary["trials"]) CHECK(trial["training_iteration"] == 10);

    // Neither copy usable: a clear error, nothing run.
    std::ofstream(experiment / "experiment_state.bin") << "garbage";
    fs::resize_file(experiment / "experiment_state.prev.bin", 20);
    auto broken = run_tune({"resume", experiment.string()});
    CHECK(broken.exit_code == 2);
    CHECK_THAT(broken.err, Contains("no usable experiment state") && Contains("not a tune state file") &&
                               Contains("truncated"));
}

TEST_CASE("resume: a folder without a saved state is refused", "[resume]") {
    TempDir dir;
    auto result = run_tune({"resume", dir.path().string()});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("holds no saved experiment state"));
}

TEST_CASE("resume: a folder killed before its first state save is started afresh by run --resume", "[resume]") {
    // What a host killed between writing experiment.json and the first state rename leaves.
    TempDir dir;
    const std::string file = asha_experiment(dir);
    const fs::path experiment = dir.path() / "asha";
    fs::create_directories(experiment / "logs");
    std::ofstream(experiment / "experiment.json") << R"({"name":"asha"})";

    auto resume = run_tune({"resume", experiment.string()});
    CHECK(resume.exit_code == 2);
    CHECK_THAT(resume.err, Contains("holds an experiment (experiment.json) but no saved state") &&
                               Contains("stopped before its first state save") && Contains("--resume"));
    auto plain = run_tune({"run", file, "--progress", "quiet"});
    CHECK(plain.exit_code == 2);
    CHECK_THAT(plain.err, Contains("already holds an experiment"));

    auto fresh = run_tune({"run", file, "--resume", "--progress", "quiet"});
    INFO(fresh.err);
    REQUIRE(fresh.exit_code == 0);
    CHECK_THAT(fresh.err, Contains("was stopped before its first state save, so no trial had run: starting it afresh"));
    CHECK(read_json(experiment / "summary.json")["trials"].size() == 8);
}

TEST_CASE("resume: a plugin the run got from --plugin-path is found again without the flag", "[resume]") {
    // org.tune.test.finite is not on the default search path: the run names its library.
    TempDir dir, plugins;
    const fs::path library = plugins.path() / "finite_trainable.so";
    fs::copy_file(test_plugin_dir() / "finite_trainable.so", library);
    const std::string file = write_experiment(dir, R"(
[experiment]
name = "finite"
metric = "loss"
num_samples = 2
results_dir = ")" + dir.path().string() + R"("
[trainable]
plugin = "org.tune.test.finite"
)");
    const fs::path experiment = dir.path() / "finite";
    auto ran = run_tune({"--plugin-path", plugins.path().string(), "run", file, "--progress", "quiet"});
    INFO(ran.err);
    REQUIRE(ran.exit_code == 0);
    const json record = read_json(experiment / "plugins.json");
    CHECK(record.at("trainable") == json{{"id", "org.tune.test.finite"}, {"file", library.string()}});
    CHECK(record.at("searcher").at("id") == "org.tune.searcher.random");
    CHECK(record.at("scheduler").at("id") == "org.tune.scheduler.fifo");

    auto resumed = run_tune({"resume", experiment.string(), "--progress", "quiet"});
    INFO(resumed.err);
    CHECK(resumed.exit_code == 0);
    CHECK_THAT(resumed.err, Contains("org.tune.test.finite is not on the plugin search path: using " +
                                     library.string() + ", which the experiment ran with"));
    CHECK(read_json(experiment / "summary.json")["trials"].size() == 2);

    // A library that is gone is named, and the flag asked for.
    fs::remove(library);
    auto gone = run_tune({"resume", experiment.string(), "--progress", "quiet"});
    CHECK(gone.exit_code == 3);
    CHECK_THAT(gone.err, Contains("the experiment's trainable org.tune.test.finite came from " + library.string() +
                                  ", which no longer exists; give its library with --plugin-path"));
}

TEST_CASE("resume: a checkpoint that cannot be written stops the run resumably, then it finishes", "[resume]") {
    TempDir dir;
    auto file = write_experiment(dir, R"(
[experiment]
name = "disk"
metric = "loss"
results_dir = ")" + dir.path().string() + R"("
[trainable]
plugin = "faulty"
[trainable.config]
fault = "save_io"
fault_at = 2
fault_times = 1
[stop]
training_iteration = 4
[checkpoint]
frequency = 1
)");
    auto failed = run_tune({"run", file, "--progress", "quiet"});
    CHECK(failed.exit_code == 1);
    CHECK_THAT(failed.err, Contains("cannot write checkpoint") && Contains("No space left on device") &&
                               Contains("tune resume " + (dir.path() / "disk").string()));
    json stopped = read_json(dir.path() / "disk" / "summary.json");
    CHECK(stopped["trials"][0]["status"] == "PAUSED");

    auto resumed = run_tune({"resume", (dir.path() / "disk").string(), "--progress", "quiet"});
    INFO(resumed.err);
    REQUIRE(resumed.exit_code == 0);
    json trial = read_json(dir.path() / "disk" / "summary.json")["trials"][0];
    CHECK(trial["status"] == "TERMINATED");
    CHECK(trial["training_iteration"] == 4);
    CHECK(logged_iterations(dir.path() / "disk" / "trial_00000") == one_to(4));
}

TEST_CASE("checkpoints: retention keeps num_to_keep by score, always the best and the latest", "[checkpoint]") {
    TempDir dir;
    auto file = write_experiment(dir, R"(
[experiment]
name = "keep"
metric = "loss"
results_dir = ")" + dir.path().string() + R"("
[trainable]
plugin = "faulty"
[trainable.config]
valley = 3
[stop]
training_iteration = 6
[checkpoint]
frequency = 1
num_to_keep = 1
)");
    auto kept = [&](std::vector<std::string> extra) {
        std::vector<std::string> args{"run", file, "--progress", "quiet", "--overwrite"};
        args.insert(args.end(), extra.begin(), extra.end());
        auto result = run_tune(args);
        INFO(result.err);
        REQUIRE(result.exit_code == 0);
        std::set<std::string> names;
        for (const auto &entry : fs::directory_iterator(dir.path() / "keep" / "trial_00000"))
            if (entry.path().filename().string().rfind("checkpoint_", 0) == 0) names.insert(entry.path().filename());
        return names;
    };
    // loss = |t - 3|: the best is iteration 3, the latest 6.
    CHECK(kept({}) == std::set<std::string>{"checkpoint_000003", "checkpoint_000006"});
    CHECK(kept({"--set", "checkpoint.score_attribute=\"score\"", "--set", "checkpoint.score_order=\"max\""}) ==
          std::set<std::string>{"checkpoint_000003", "checkpoint_000006"});
    // Ties (iterations 2 and 4) go to the newer.
    CHECK(kept({"--set", "checkpoint.num_to_keep=2"}) ==
          std::set<std::string>{"checkpoint_000003", "checkpoint_000004", "checkpoint_000006"});
}

TEST_CASE("resume: a folder in use by a running tune is refused, by resume and by run --overwrite", "[resume]") {
    TempDir dir;
    const fs::path experiment = dir.path() / "curve_grid_fifo";
    const std::vector<std::string> run{
        "run", (source_dir() / "samples" / "experiments" / "curve_grid_fifo.toml").string(), "--progress", "quiet",
        "--set", "experiment.results_dir=\"" + dir.path().string() + "\"", "--set", "trainable.config.sleep_ms=1500",
        "--set", "search_space.x=0.3", "--set", "search_space.y=-0.1", "--set", "search_space.rate=1.0", "--set",
        "stop.training_iteration=4"};
    // Steps of 1.5 s: the run must still hold the folder while two more tune processes start
    // on a busy machine.
    int pid = start_tune(run, dir.path() / "tune.log");
    REQUIRE(wait_for_file(experiment / "trial_00000" / "params.json"));
    auto resume = run_tune({"resume", experiment.string()});
    CHECK(resume.exit_code == 2);
    CHECK_THAT(resume.err, Contains("is in use by another tune process (pid " + std::to_string(pid) + ")"));
    std::vector<std::string> overwrite = run;
    overwrite.push_back("--overwrite");
    auto again = run_tune(overwrite);
    CHECK(again.exit_code == 2);
    CHECK_THAT(again.err, Contains("is in use by another tune process"));

    ::kill(pid, SIGKILL); // the kernel releases the lock with the process
    wait_for_exit(pid);
    auto resumed = run_tune({"resume", experiment.string(), "--progress", "quiet"});
    INFO(resumed.err);
    CHECK(resumed.exit_code == 0);
    CHECK(read_json(experiment / "summary.json")["trials"][0]["training_iteration"] == 4);
}
