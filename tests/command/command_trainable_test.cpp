// org.tune.command through the real binaries: tune runs tests/command/programs/epoch_program
// (a C program on tune/report.h) as its trials. Results, other output, placeholders and the
// config file; a malformed result line; ASHA stopping a program early; a crash, a non-zero
// exit and a hang retried from the checkpoint the result named; a host killed with SIGKILL
// and resumed; `tune check-plugin --command`.
#include <signal.h>

#include <catch2/catch.hpp>

#include <cerrno>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "conformance/check_plugin_support.hpp"
#include "fault/fault_test_support.hpp"
#include "support/test_paths.hpp"
#include "support/file_contents.hpp"

using Catch::Matchers::Contains;
using nlohmann::json;
namespace fs = std::filesystem;
using namespace tune::test;

namespace {

std::string program() { return (binary_dir() / "tests" / "command" / "epoch_program").string(); }

// An experiment of the epoch program: its extra arguments, then the experiment's own lines.
std::string command_experiment(const TempDir &dir, const std::string &extra_args, const std::string &more,
                               int num_samples = 2) {
    return write_experiment(dir, R"(
[experiment]
name = "cmd"
metric = "loss"
mode = "min"
num_samples = )" + std::to_string(num_samples) + R"(
seed = 3
max_concurrent_trials = 1
results_dir = ")" + dir.path().string() + R"("
)" + more + R"(
[trainable]
plugin = "command"
[trainable.config.command]
argv = [")" + program() + R"(", "--lr", "{lr}", )" + extra_args + R"(]
stop_grace_s = 2
[search_space]
lr = { uniform = [0.1, 1.0] }
[checkpoint]
frequency = 1
)");
}

// Runs the experiment file to the end, which must succeed, and returns its summary.json.
json run_to_end(const std::string &experiment_file, const fs::path &experiment_dir) {
    const auto run = run_tune({"run", experiment_file, "--progress", "quiet"});
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    return read_json(experiment_dir / "summary.json");
}

// The "pid P start E" lines of a trial's starts file, one per run of the program: field 0 its
// process id, field 1 the epoch it began at.
std::vector<long long> starts_field(const fs::path &trial_dir, int field) {
    std::vector<long long> values;
    std::istringstream lines(read_text(trial_dir / "starts"));
    std::string pid_word, start_word;
    long long pid = 0, epoch = 0;
    while (lines >> pid_word >> pid >> start_word >> epoch) values.push_back(field == 0 ? pid : epoch);
    return values;
}

std::vector<long long> start_pids(const fs::path &trial_dir) { return starts_field(trial_dir, 0); }
std::vector<long long> start_epochs(const fs::path &trial_dir) { return starts_field(trial_dir, 1); }

// Whether the process has ended: gone, or a zombie its new parent has not reaped yet (a
// program whose worker was killed is killed by the kernel, and reaped by whoever adopts it).
// A kill just sent may take a moment to land: waits up to 5 s.
bool process_gone(long long pid) {
    for (int i = 0; i < 500; ++i) {
        if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) return true;
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string text;
        std::getline(stat, text);
        const auto paren = text.rfind(')');
        if (paren != std::string::npos && paren + 2 < text.size() && text[paren + 2] == 'Z') return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

} // namespace

TEST_CASE("command trainable: results come from the program's lines, its other output goes to output.log",
          "[command]") {
    TempDir dir;
    const std::string experiment = command_experiment(dir, R"("--epochs", "5")", "");
    const json summary = run_to_end(experiment, dir.path() / "cmd");
    REQUIRE(summary["trials"].size() == 2);
    for (const auto &trial : summary["trials"]) {
        INFO(trial.dump());
        const fs::path trial_dir = dir.path() / "cmd" / trial["dir"].get<std::string>();
        const double lr = trial["config"]["lr"].get<double>();
        // The program exited 0 after its fifth result: the trial ended with it, marked done,
        // with no sixth row.
        CHECK(trial["status"] == "TERMINATED");
        CHECK(trial["training_iteration"] == 5);
        CHECK(trial["last_result"]["done"] == true);
        const auto results = read_json_lines(trial_dir / "result.jsonl");
        REQUIRE(results.size() == 5);
        for (std::size_t i = 0; i < results.size(); ++i) {
            CHECK(results[i]["training_iteration"] == i + 1);
            CHECK(results[i]["epoch"] == i + 1);
            CHECK(results[i]["loss"].get<double>() == Approx(1.0 / (1.0 + lr * static_cast<double>(i + 1))));
            CHECK_FALSE(results[i].contains("checkpoint")); // the folder name is the protocol's, not a metric
        }
        // The placeholder put the config's value into the arguments; the config file has it too.
        CHECK_THAT(read_text(trial_dir / "args"), Contains("--lr " + json(lr).dump()));
        const json config = read_json(trial_dir / "config.json");
        CHECK(config == json{{"lr", lr}});
        // Lines that are no results, from stdout and stderr, are the trial's output log.
        const std::string output = read_text(trial_dir / "output.log");
        CHECK_THAT(output, Contains("epoch 1: training") && Contains("epoch 5: stderr"));
        CHECK_THAT(output, !Contains("tune-result"));
        // Each checkpoint is the folder the program wrote before the result that named it.
        CHECK(std::stoi(read_text(trial_dir / "checkpoint_000005" / "state")) == 5);
    }
}

TEST_CASE("command trainable: a malformed result line fails the trial naming the line", "[command]") {
    TempDir dir;
    const auto run =
        run_tune({"run", command_experiment(dir, R"("--epochs", "5", "--malformed-at", "2")", "", 1), "--progress",
                  "quiet"});
    INFO(run.out << run.err);
    CHECK(run.exit_code != 0);
    const json summary = read_json(dir.path() / "cmd" / "summary.json");
    const json &trial = summary["trials"][0];
    CHECK(trial["status"] == "ERROR");
    CHECK(trial["training_iteration"] == 1); // the result before the bad line stays
    CHECK_THAT(trial["error"].get<std::string>(),
               Contains("line 4 of the program's standard output") && Contains("not followed by a JSON object") &&
                   Contains("tune-result {\"loss\": oops}"));
    for (const long long pid : start_pids(dir.path() / "cmd" / trial["dir"].get<std::string>()))
        CHECK(process_gone(pid));
}

TEST_CASE("command trainable: ASHA stops programs early and their processes are gone", "[command]") {
    TempDir dir;
    const json summary = run_to_end(command_experiment(dir, R"("--epochs", "12", "--sleep-ms", "100")", R"(
[scheduler]
plugin = "asha"
[scheduler.options]
max_t = 12
grace_period = 1
reduction_factor = 3
)",
                                                       4),
                                    dir.path() / "cmd");
    int stopped = 0;
    for (const auto &trial : summary["trials"]) {
        INFO(trial.dump());
        CHECK(trial["status"] == "TERMINATED");
        const fs::path trial_dir = dir.path() / "cmd" / trial["dir"].get<std::string>();
        if (trial["training_iteration"].get<long long>() < 12) {
            ++stopped;
            // Its program was ended as ASHA stopped it, not left to train on to its last epoch
            // (its stderr goes straight to output.log: the program's own trace).
            CHECK_THAT(read_text(trial_dir / "output.log"), !Contains("epoch 12: stderr"));
        }
        for (const long long pid : start_pids(trial_dir)) CHECK(process_gone(pid));
    }
    CHECK(stopped > 0);
}

TEST_CASE("command trainable: a crash, a non-zero exit and a hang are retried from the named checkpoint",
          "[command]") {
    for (const std::string misbehaviour : {R"("--crash-at", "3")", R"("--hang-at", "3")"}) {
        INFO(misbehaviour);
        TempDir dir;
        const json summary = run_to_end(command_experiment(dir, R"("--epochs", "6", )" + misbehaviour, R"(
max_failures = 1
step_timeout_s = 3
)",
                                                           1),
                                        dir.path() / "cmd");
        const json &trial = summary["trials"][0];
        CHECK(trial["status"] == "TERMINATED");
        CHECK(trial["training_iteration"] == 6);
        const fs::path trial_dir = dir.path() / "cmd" / trial["dir"].get<std::string>();
        // The second run of the program continued from epoch 2's checkpoint: the one the
        // result of iteration 2 named, before the failure at epoch 3.
        CHECK(start_epochs(trial_dir) == std::vector<long long>{0, 2});
        CHECK(logged_iterations(trial_dir) == one_to(6));
        const std::string errors = read_text(trial_dir / "error.txt");
        if (misbehaviour.find("crash") != std::string::npos)
            CHECK_THAT(errors, Contains("exited with status 3") && Contains("crashing at epoch 3"));
        else
            CHECK_THAT(errors, Contains("step_timeout_s"));
        for (const long long pid : start_pids(trial_dir)) CHECK(process_gone(pid));
    }
}

TEST_CASE("command trainable: a host killed with SIGKILL resumes its command trials where they were",
          "[command]") {
    TempDir dir;
    const std::string experiment_file = command_experiment(dir, R"("--epochs", "20", "--sleep-ms", "150")", "", 2);
    const fs::path experiment = dir.path() / "cmd";
    const int pid = start_tune({"run", experiment_file, "--progress", "quiet"}, dir.path() / "tune.log");
    // Kill it in the middle of trial 0, once a state saved after its checkpoint of epoch 3 was
    // committed (the folder of epoch 4 exists) has reached the disk. How often the state is
    // saved depends on how long a save takes, so the test watches for it.
    REQUIRE(wait_for_file(experiment / "trial_00000" / "checkpoint_000004"));
    const auto committed = fs::file_time_type::clock::now();
    // A save renames the state to its previous copy before the new one takes its name: in
    // between the file is missing, which counts as not saved yet.
    auto saved_since_commit = [&] {
        std::error_code missing;
        const auto written = fs::last_write_time(experiment / "experiment_state.bin", missing);
        return !missing && written > committed;
    };
    for (int i = 0; i < 2000 && !saved_since_commit(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    ::kill(pid, SIGKILL);
    CHECK(wait_for_exit(pid) == 128 + SIGKILL);
    const auto resumed = run_tune({"resume", experiment.string(), "--progress", "quiet"});
    INFO(resumed.out << resumed.err);
    REQUIRE(resumed.exit_code == 0);
    const json summary = read_json(experiment / "summary.json");
    for (const auto &trial : summary["trials"]) {
        INFO(trial.dump());
        CHECK(trial["status"] == "TERMINATED");
        CHECK(trial["training_iteration"] == 20);
        const fs::path trial_dir = experiment / trial["dir"].get<std::string>();
        CHECK(logged_iterations(trial_dir) == one_to(20));
        for (const long long started : start_pids(trial_dir)) CHECK(process_gone(started));
    }
    // Trial 0's second run began where its latest checkpoint left it, not at epoch 0.
    const auto starts = start_epochs(experiment / "trial_00000");
    REQUIRE(starts.size() == 2);
    CHECK(starts[0] == 0);
    CHECK(starts[1] >= 3);
}

TEST_CASE("command trainable: check-plugin --command passes a program that keeps the protocol", "[command]") {
    const CheckRun run = check_plugin({"--command", "'" + program() + "' --lr {lr} --epochs 6", "--config",
                                       R"({"lr": 0.5})", "--metric", "loss"});
    expect_all_pass(run, trainable_checks());
    CHECK_THAT(run.command.out, Contains("[org.tune.command]"));
}

TEST_CASE("command trainable: check-plugin --command fails a program that names no checkpoints, saying why",
          "[command]") {
    const CheckRun run = check_plugin({"--command", program() + " --lr {lr} --epochs 6 --no-checkpoints", "--config",
                                       R"({"lr": 0.5})", "--metric", "loss"});
    INFO(run.command.out << run.command.err);
    CHECK(run.failed.count("trainable.save_restore") == 1);
    CHECK_THAT(run.command.out, Contains("named none"));
    CHECK(run.command.exit_code == 1);

    const CheckRun unset = check_plugin({"--command", program() + " --lr {lr}"});
    INFO(unset.command.out << unset.command.err);
    CHECK_THAT(unset.command.out, Contains("{lr}") && Contains("not in the trial's config"));
    CHECK(unset.command.exit_code != 0);

    const CheckRun unterminated = check_plugin({"--command", "train 'oops"});
    CHECK_THAT(unterminated.command.err, Contains("--command: unterminated ' quote"));
    CHECK(unterminated.command.exit_code == 2);
}

TEST_CASE("command trainable: a trial HyperBand pauses goes on from the checkpoint of its pause", "[command]") {
    TempDir dir;
    const json summary = run_to_end(command_experiment(dir, R"("--epochs", "9")", R"(
[scheduler]
plugin = "hyperband"
[scheduler.options]
max_t = 9
reduction_factor = 3
)",
                                                       6),
                                    dir.path() / "cmd");
    int resumed = 0;
    for (const auto &trial : summary["trials"]) {
        INFO(trial.dump());
        CHECK(trial["status"] == "TERMINATED");
        const fs::path trial_dir = dir.path() / "cmd" / trial["dir"].get<std::string>();
        // One row per iteration, in order: each run went on from exactly where the last paused.
        CHECK(logged_iterations(trial_dir) == one_to(trial["training_iteration"].get<long long>()));
        const auto starts = start_epochs(trial_dir);
        REQUIRE_FALSE(starts.empty());
        CHECK(starts.front() == 0);
        for (std::size_t i = 1; i < starts.size(); ++i) CHECK(starts[i] > starts[i - 1]);
        resumed += starts.size() > 1;
        for (const long long pid : start_pids(trial_dir)) CHECK(process_gone(pid));
    }
    CHECK(resumed > 0);
}

TEST_CASE("command trainable: a PBT exploit starts the program again from the donor's checkpoint", "[command]") {
    TempDir dir;
    const json summary = run_to_end(command_experiment(dir, R"("--epochs", "8")", R"(
[scheduler]
plugin = "pbt"
[scheduler.options]
time_attr = "training_iteration"
perturbation_interval = 2
quantile_fraction = 0.5
[scheduler.options.hyperparam_mutations]
lr = { uniform = [0.1, 1.0] }
)",
                                                       4),
                                    dir.path() / "cmd");
    int exploited = 0;
    for (const auto &trial : summary["trials"]) {
        INFO(trial.dump());
        CHECK(trial["status"] == "TERMINATED");
        CHECK(trial["training_iteration"] == 8);
        if (trial["lineage"].empty()) continue;
        ++exploited;
        const fs::path trial_dir = dir.path() / "cmd" / trial["dir"].get<std::string>();
        // The first run with the exploit's config (its arguments) began at the epoch of the
        // donor's checkpoint. (PBT also pauses and resumes trials between its perturbations:
        // each run begins at the trial's own checkpoint then.)
        const auto starts = start_epochs(trial_dir);
        std::vector<std::string> args;
        std::istringstream arg_lines(read_text(trial_dir / "args"));
        for (std::string line; std::getline(arg_lines, line);) args.push_back(line);
        REQUIRE(args.size() == starts.size());
        const json &last = trial["lineage"].back();
        const std::string new_lr = "--lr " + last["new_config"]["lr"].dump() + " ";
        std::size_t first = 0;
        while (first < args.size() && args[first].find(new_lr) == std::string::npos) ++first;
        REQUIRE(first < args.size());
        CHECK(starts[first] == last["donor_iteration"].get<long long>());
    }
    CHECK(exploited > 0);
}

TEST_CASE("command trainable: a trial stopped while another runs has its program ended at once", "[command]") {
    // lr 1.0 reaches loss 0.2 at epoch 4 and is stopped there; lr 0.1 trains on for 2 s.
    // Without the end of its trial reaching its idle worker, the stopped trial's program
    // would train on beside it, to its 40th epoch.
    TempDir dir;
    const json summary = run_to_end(write_experiment(dir, R"(
[experiment]
name = "cmd"
metric = "loss"
mode = "min"
num_samples = 1
max_concurrent_trials = 2
results_dir = ")" + dir.path().string() + R"("
[trainable]
plugin = "command"
[trainable.config.command]
argv = [")" + program() + R"(", "--lr", "{lr}", "--epochs", "40", "--sleep-ms", "50"]
stop_grace_s = 2
[search_space]
lr = { grid_search = [1.0, 0.1] }
[stop.metrics]
loss = { at_most = 0.2 }
[checkpoint]
frequency = 0
at_end = false
)"),
                                    dir.path() / "cmd");
    REQUIRE(summary["trials"].size() == 2);
    for (const auto &trial : summary["trials"]) {
        INFO(trial.dump());
        const fs::path trial_dir = dir.path() / "cmd" / trial["dir"].get<std::string>();
        const std::string output = read_text(trial_dir / "output.log");
        if (trial["config"]["lr"] == 1.0) {
            CHECK(trial["training_iteration"] == 4);
            // Its stderr goes straight to output.log, read by no one: the program's own trace.
            CHECK_THAT(output, !Contains("epoch 20: stderr"));
        } else {
            CHECK(trial["training_iteration"] == 40);
            CHECK_THAT(output, Contains("epoch 40: training"));
        }
        for (const long long pid : start_pids(trial_dir)) CHECK(process_gone(pid));
    }
}

TEST_CASE("command trainable: a shell script keeps the protocol with echo and mkdir alone", "[command]") {
    TempDir dir;
    const fs::path script = dir.path() / "train.sh";
    std::ofstream(script) << R"(#!/bin/sh
# docs/command-trainable.md's shell example, with a loss of 1 / (1 + rate * epoch).
epoch=0
[ -n "$TUNE_RESTORE_DIR" ] && epoch=$(cat "$TUNE_RESTORE_DIR/epoch")
while [ "$epoch" -lt 4 ]; do
  epoch=$((epoch + 1))
  loss=$(awk "BEGIN { print 1 / (1 + $1 * $epoch) }")
  mkdir -p "$TUNE_CHECKPOINT_DIR/e$epoch" && echo "$epoch" > "$TUNE_CHECKPOINT_DIR/e$epoch/epoch"
  echo "tune-result {\"loss\": $loss, \"checkpoint\": \"e$epoch\"}"
done
)";
    run_to_end(write_experiment(dir, R"(
[experiment]
name = "sh"
metric = "loss"
mode = "min"
num_samples = 1
results_dir = ")" + dir.path().string() + R"("
[trainable]
plugin = "command"
[trainable.config.command]
argv = ["sh", ")" + script.string() + R"(", "{rate}"]
[search_space]
rate = { grid_search = [0.5] }
[checkpoint]
frequency = 2
)"),
               dir.path() / "sh");
    const fs::path trial_dir = dir.path() / "sh" / "trial_00000";
    const auto results = read_json_lines(trial_dir / "result.jsonl");
    REQUIRE(results.size() == 4);
    CHECK(results[3]["loss"].get<double>() == Approx(1.0 / 3.0).epsilon(1e-5));
    CHECK(read_text(trial_dir / "checkpoint_000002" / "epoch") == "2\n");
    CHECK(read_text(trial_dir / "checkpoint_000004" / "epoch") == "4\n");
    // The folders of results 1 and 3, never asked for, went as the next result superseded them.
    CHECK_FALSE(fs::exists(trial_dir / "program_checkpoints" / "e1"));
    CHECK_FALSE(fs::exists(trial_dir / "program_checkpoints" / "e3"));
}

TEST_CASE("command trainable: a Python program on tune_report.py, killed by a signal, is retried from its checkpoint",
          "[command]") {
    TempDir dir;
    const std::string script = (source_dir() / "tests" / "command" / "programs" / "epoch_program.py").string();
    const json summary = run_to_end(write_experiment(dir, R"(
[experiment]
name = "py"
metric = "loss"
mode = "min"
num_samples = 1
max_failures = 1
results_dir = ")" + dir.path().string() + R"("
[trainable]
plugin = "command"
[trainable.config]
note = "a constant"
[trainable.config.command]
argv = ["/usr/bin/python3", ")" + script + R"(", "--rate", "{rate}", "--signal-at", "4"]
env = { TUNE_REPORT_PY_DIR = ")" + (source_dir() / "sdk" / "python").string() + R"(" }
[search_space]
rate = { grid_search = [0.5] }
[checkpoint]
frequency = 1
)"),
                                    dir.path() / "py");
    const json &trial = summary["trials"][0];
    CHECK(trial["status"] == "TERMINATED");
    CHECK(trial["training_iteration"] == 6);
    CHECK(trial["last_result"]["done"] == true); // its own "done", from report(done=True)
    const fs::path trial_dir = dir.path() / "py" / "trial_00000";
    CHECK(start_epochs(trial_dir) == std::vector<long long>{0, 3});
    CHECK(logged_iterations(trial_dir) == one_to(6));
    CHECK_THAT(read_text(trial_dir / "error.txt"), Contains("was killed by signal 11"));
    // The program read the config through TUNE_CONFIG_FILE: its constants and hyperparameters.
    CHECK_THAT(read_text(trial_dir / "output.log"), Contains(R"(epoch 6 of {"note": "a constant", "rate": 0.5})"));
}
