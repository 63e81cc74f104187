// tune under mpirun on this machine: three ranks, each a "node" of its own (--node-per-rank,
// one CPU each), through the real binaries. Built only with TUNE_WITH_MPI.
#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <dirent.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "support/file_contents.hpp"
#include "core/state/state_store.hpp"
#include "fault/fault_test_support.hpp"
#include "support/test_paths.hpp"

using namespace tune::test;
using Catch::Matchers::Contains;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// mpirun as root, with more ranks than cores, on this machine. Shared memory without
// cross-process reads (CMA), which containers often forbid.
std::vector<std::string> mpirun(int ranks) {
    return {TUNE_TEST_MPIEXEC, "--oversubscribe", "--allow-run-as-root", "--mca", "btl_vader_single_copy_mechanism",
            "none", "-np", std::to_string(ranks)};
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string> &b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

CommandResult tune_on_ranks(int ranks, const std::vector<std::string> &args) {
    return run_program(concat(concat(mpirun(ranks), {tune_exe().string()}), args));
}

std::string experiment(const TempDir &dir, const std::string &name, const std::string &extra) {
    return write_experiment(dir, R"([experiment]
name = ")" + name + R"("
metric = "loss"
results_dir = ")" + (dir.path() / "results").string() + R"("
seed = 11
cpus_per_node = 1
)" + extra);
}

// The ranks that ran a trial, from its results.
std::set<int> ranks_of(const fs::path &trial_dir) {
    std::set<int> ranks;
    std::ifstream in(trial_dir / "result.jsonl");
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) ranks.insert(json::parse(line).at("rank").get<int>());
    return ranks;
}

std::set<int> ranks_of_experiment(const fs::path &dir, const json &summary) {
    std::set<int> ranks;
    for (const auto &trial : summary["trials"]) {
        const auto trial_ranks = ranks_of(dir / trial["dir"].get<std::string>());
        ranks.insert(trial_ranks.begin(), trial_ranks.end());
    }
    return ranks;
}

// The pid of the tune process that is rank `rank` of the mpirun with pid mpirun_pid, or 0.
int pid_of_rank(int mpirun_pid, int rank) {
    const std::string wanted = "OMPI_COMM_WORLD_RANK=" + std::to_string(rank);
    for (const auto &entry : fs::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        if (fs::path(tune::test::read_text(entry.path() / "cmdline").c_str()).filename() != "tune") continue;
        // /proc/PID/stat: "pid (comm) state ppid ...": mpirun starts its local ranks itself.
        const std::string stat = tune::test::read_text(entry.path() / "stat");
        const auto after_name = stat.rfind(')');
        if (after_name == std::string::npos || std::stoi(stat.substr(after_name + 4)) != mpirun_pid) continue;
        const std::string environ = tune::test::read_text(entry.path() / "environ");
        std::size_t at = 0;
        for (std::size_t end; (end = environ.find('\0', at)) != std::string::npos; at = end + 1)
            if (environ.compare(at, end - at, wanted) == 0) return std::stoi(name);
    }
    return 0;
}

// Six trials of the faulty sample trainable with no fault, a checkpoint every iteration.
std::string six_trials(int sleep_ms, int iterations) {
    return fmt::format(R"(num_samples = 6
[trainable]
plugin = "faulty"
[trainable.config]
sleep_ms = {}
[search_space]
x = {{ uniform = [0.0, 1.0] }}
[stop]
training_iteration = {}
[checkpoint]
frequency = 1
)",
                       sleep_ms, iterations);
}

} // namespace

TEST_CASE("mpi: trials run on every rank, with the results, summary and best trial of one process", "[mpi][e2e]") {
    TempDir dir;
    const auto file = experiment(dir, "spread", six_trials(5, 4));
    const auto spread = tune_on_ranks(3, {"run", file, "--node-per-rank", "--progress", "plain"});
    INFO(spread.out << spread.err);
    REQUIRE(spread.exit_code == 0);
    const auto single = run_tune({"run", file, "--set", "experiment.name=single", "--progress", "quiet"});
    INFO(single.out << single.err);
    REQUIRE(single.exit_code == 0);

    const fs::path spread_dir = dir.path() / "results" / "spread", single_dir = dir.path() / "results" / "single";
    const json a = read_json(spread_dir / "summary.json"), b = read_json(single_dir / "summary.json");
    CHECK(ranks_of_experiment(spread_dir, a) == std::set<int>{0, 1, 2});
    CHECK(ranks_of_experiment(single_dir, b) == std::set<int>{0});
    CHECK_THAT(spread.out, Contains("loc") && Contains("/r1:") && Contains("/r2:"));

    REQUIRE(a["trials"].size() == 6);
    REQUIRE(b["trials"].size() == 6);
    for (std::size_t i = 0; i < 6; ++i) {
        const json &x = a["trials"][i], &y = b["trials"][i];
        INFO("trial " << x["trial_id"]);
        CHECK(x["trial_id"] == y["trial_id"]);
        CHECK(x["config"] == y["config"]);
        CHECK(x["status"] == "TERMINATED");
        CHECK(x["training_iteration"] == y["training_iteration"]);
        CHECK(x["last_result"]["loss"] == y["last_result"]["loss"]);
        CHECK(logged_iterations(spread_dir / x["dir"].get<std::string>()) == one_to(4));
    }
    CHECK(a["best_trial"]["trial_id"] == b["best_trial"]["trial_id"]);
    CHECK(a["best_trial"]["value"] == b["best_trial"]["value"]);
    // Each node's workers log into the shared folder under names of their own.
    CHECK(fs::exists(spread_dir / "logs" / "worker_000.log"));
    CHECK(fs::exists(spread_dir / "logs" / "rank1_worker_000.log"));
    CHECK(fs::exists(spread_dir / "logs" / "rank2_worker_000.log"));
}

TEST_CASE("mpi: ASHA stops trials early across the agents' nodes", "[mpi][e2e]") {
    TempDir dir;
    const auto file = experiment(dir, "asha", R"(num_samples = 8
trials_on_controller = false
[trainable]
plugin = "faulty"
[search_space]
x = { uniform = [0.0, 1.0] }
[scheduler]
plugin = "asha"
[scheduler.options]
max_t = 8
grace_period = 1
reduction_factor = 2
[stop]
training_iteration = 8
)");
    const auto result = tune_on_ranks(3, {"run", file, "--node-per-rank", "--progress", "quiet"});
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    const fs::path out = dir.path() / "results" / "asha";
    const json summary = read_json(out / "summary.json");
    CHECK(ranks_of_experiment(out, summary) == std::set<int>{1, 2}); // rank 0 only runs the controller
    // How many trials stop depends on the order in which the two agents' trials reach each rung.
    // What holds in every order: each early end is ASHA's STOP at that iteration, below its
    // rung's cutoff; the first trial at a rung always goes on; and x = 0.89 and 0.67 (trials 6 and
    // 7, the worst of all and the fourth worst) reach rung 1 after at least five others, so stop.
    int stopped_early = 0, ran_to_max = 0;
    for (const auto &trial : summary["trials"]) {
        INFO(trial.dump());
        CHECK(trial["status"] == "TERMINATED");
        const long long iteration = trial["training_iteration"];
        const auto decisions = read_json_lines(out / trial["dir"].get<std::string>() / "decisions.jsonl");
        int stops = 0;
        for (const json &decision : decisions) stops += decision["decision"] == "STOP";
        if (iteration < 8) {
            ++stopped_early;
            REQUIRE(stops == 1);
            CHECK(decisions.back()["decision"] == "STOP");
            CHECK(decisions.back()["training_iteration"] == iteration);
            CHECK(decisions.back()["detail"]["reason"] == "below cutoff");
        } else {
            ++ran_to_max;
            CHECK(stops == 0);
        }
    }
    REQUIRE(summary["trials"].size() == 8);
    CHECK(summary["trials"][6]["training_iteration"] < 8);
    CHECK(summary["trials"][7]["training_iteration"] < 8);
    CHECK(stopped_early >= 2);
    CHECK(ran_to_max >= 1);
    CHECK(summary["best_trial"]["training_iteration"] == 8);
}

TEST_CASE("mpi: a trial that segfaults on an agent's node is retried from its checkpoint", "[mpi][e2e][fault]") {
    TempDir dir;
    const auto file = experiment(dir, "crash", R"(num_samples = 4
trials_on_controller = false
max_failures = 1
[trainable]
plugin = "faulty"
[trainable.config]
fault = "segfault"
fault_at = 3
fault_times = 1
[search_space]
x = { uniform = [0.0, 1.0] }
[stop]
training_iteration = 4
[checkpoint]
frequency = 1
)");
    const auto result = tune_on_ranks(3, {"run", file, "--node-per-rank", "--progress", "quiet"});
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    const fs::path out = dir.path() / "results" / "crash";
    const json summary = read_json(out / "summary.json");
    REQUIRE(summary["trials"].size() == 4);
    for (const auto &trial : summary["trials"]) {
        INFO(trial.dump());
        CHECK(trial["status"] == "TERMINATED");
        CHECK(trial["failures"] == 1);
        CHECK_THAT(trial["error"].get<std::string>(), Contains("killed by signal 11"));
        CHECK(logged_iterations(out / trial["dir"].get<std::string>()) == one_to(4));
        const auto ranks = ranks_of(out / trial["dir"].get<std::string>());
        CHECK(ranks.count(0) == 0);
    }
}

TEST_CASE("mpi: a killed agent ends the run resumably, and resume on fewer ranks finishes it with no trial run "
          "twice or lost",
          "[mpi][e2e][fault]") {
    TempDir dir;
    const auto file = experiment(dir, "killed", six_trials(150, 8));
    const fs::path out = dir.path() / "results" / "killed";
    const int mpirun_pid = start_program(concat(concat(mpirun(3), {tune_exe().string()}),
                                                {"run", file, "--node-per-rank", "--progress", "quiet"}),
                                         dir.path() / "first.log");
    // Once the saved state has the first three trials finished and the next ones run, rank 2 dies.
    auto finished_in_state = [&] {
        if (!tune::core::StateStore(out).exists()) return 0;
        int finished = 0;
        for (const auto &trial : tune::core::StateStore(out).load().state.trials) finished += trial.status == "TERMINATED";
        return finished;
    };
    bool second_wave = false;
    for (int i = 0; i < 3000 && !second_wave; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        second_wave = fs::exists(out / "trial_00004" / "result.jsonl") && finished_in_state() >= 3;
    }
    REQUIRE(second_wave);
    const int agent = pid_of_rank(mpirun_pid, 2);
    REQUIRE(agent > 0);
    REQUIRE(::kill(agent, SIGKILL) == 0);
    const int first_status = wait_for_exit(mpirun_pid);
    INFO(tune::test::read_text(dir.path() / "first.log"));
    CHECK(first_status != 0);

    // mpirun gives the other ranks no time to stop (SIGTERM, then SIGKILL 30 ms later): what
    // counts is the saved state. Every trial it has as finished must stay as it is.
    std::map<std::string, std::string> finished; // trial folder -> its results when the run died
    for (const auto &trial : tune::core::StateStore(out).load().state.trials)
        if (trial.status == "TERMINATED")
            finished["trial_" + trial.id] = tune::test::read_text(out / ("trial_" + trial.id) / "result.jsonl");
    CHECK(finished.size() >= 3);
    CHECK(finished.size() < 6);

    const auto resumed = tune_on_ranks(2, {"resume", out.string(), "--node-per-rank", "--progress", "quiet"});
    INFO(resumed.out << resumed.err);
    REQUIRE(resumed.exit_code == 0);
    const json summary = read_json(out / "summary.json");
    REQUIRE(summary["trials"].size() == 6);
    for (const auto &trial : summary["trials"]) {
        INFO(trial.dump());
        CHECK(trial["status"] == "TERMINATED");
        const fs::path trial_dir = out / trial["dir"].get<std::string>();
        CHECK(logged_iterations(trial_dir) == one_to(8));
        if (finished.count(trial["dir"])) CHECK(tune::test::read_text(trial_dir / "result.jsonl") == finished[trial["dir"]]);
    }
}

TEST_CASE("mpi: a results folder that one node cannot see is refused before any trial, naming the node and path",
          "[mpi][e2e]") {
    REQUIRE(run_program({"/usr/bin/unshare", "-m", "true"}).exit_code == 0); // a mount namespace of its own: as root
    TempDir dir;
    const auto file = experiment(dir, "unshared", six_trials(5, 4));
    const fs::path results = dir.path() / "results";
    fs::create_directories(results);
    // Rank 2 sees an empty file system of its own where the results folder is.
    const std::string on_rank_2 = "mount -t tmpfs tmpfs '" + results.string() + "' && exec '" + tune_exe().string() +
                                  "' run '" + file + "' --node-per-rank";
    const auto result = run_program(concat(
        concat(mpirun(2), {tune_exe().string(), "run", file, "--node-per-rank", ":", "-np", "1", "unshare", "-m"}),
        {"sh", "-c", on_rank_2}));
    INFO(result.out << result.err);
    CHECK(result.exit_code != 0);
    CHECK_THAT(result.err, Contains("the results folder " + results.string() + " is not shared with every node") &&
                               Contains("rank 2 on") && Contains("cannot read " + results.string() + "/.tune-probe-"));
    CHECK_FALSE(fs::exists(results / "unshared")); // the experiment folder was not made
}
