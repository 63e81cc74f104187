// Engine benchmarks (issue: experiment engine):
//   overhead   - 10,000 trials of a no-op trainable, one result each (Ray's release test);
//                beside it, the same trials as a sweep script would run them, one process
//                per trial, and as direct in-process calls with no tuning at all.
//   throughput - trials that report as fast as they can, results written to disk; beside it,
//                the same trials stepped one result at a time (no Steps queued ahead: a stop
//                on a metric with a final checkpoint forbids it), and the same steps called
//                in-process with nothing written.
//   mpi        - (--mpi, in a build with TUNE_WITH_MPI) the overhead and throughput runs again,
//                once with the trials on rank 0's own node and once on a node agent's (mpirun
//                -np 2 --node-per-rank, trials_on_controller = false): what the relay adds.
// Prints the median of --repeats runs of each and the ratios between them. With --baseline DIR
// (another build's folder, holding bin/tune and bin/tune-worker), each `tune run` is measured
// for that build too, alternating run by run, so that both see the same machine.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include "core/plugin/host_services.hpp"
#include "core/plugin/plugin_library.hpp"
#include "core/plugin/trainable_adapter.hpp"
#include "core/worker/message.hpp"
#include "core/worker/worker_process.hpp"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double median(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Each run writes to a folder of its own under dir; nothing is deleted until the end, because
// on ext4 deleting tens of thousands of files makes the next inode allocations slow (the
// allocator skips recently deleted inodes), which would measure the file system, not tune.
// lockstep: a stop on a metric that is never met, with the final checkpoint on, so that no
// Step may be queued ahead of a result (core/engine/step_pipeline.hpp).
fs::path write_experiment(const fs::path &dir, const std::string &name, long long trials, long long iterations,
                          bool lockstep = false) {
    const fs::path file = dir / (name + ".toml");
    std::ofstream(file) << fmt::format(R"([experiment]
name = "{0}"
metric = "loss"
num_samples = {1}
results_dir = "{2}/{0}"
[trainable]
plugin = "org.tune.bench.noop"
[search_space]
x = {{ uniform = [0.0, 1.0] }}
[scheduler]
plugin = "fifo"
[stop]
training_iteration = {3}
{4}[checkpoint]
at_end = {5}
)",
                                       name, trials, dir.string(), iterations,
                                       lockstep ? "metrics.loss = { at_most = -1.0 }\n" : "", lockstep);
    return file;
}

// Wall seconds of one `tune run` of the tune executable `tune`.
double time_tune_run(const fs::path &tune, const fs::path &experiment) {
    static int run = 0;
    const std::string command =
        fmt::format("'{}' --plugin-path '{}' run '{}' --progress quiet --set experiment.name='\"run{}\"' > /dev/null",
                    tune.string(), TUNE_BENCH_PLUGIN, experiment.string(), run++);
    auto start = Clock::now();
    if (std::system(command.c_str()) != 0) {
        std::cerr << "benchmark run failed: " << command << "\n";
        std::exit(1);
    }
    return seconds_since(start);
}

// What one `tune run` reports of itself in summary.json: the experiment's wall time (from the
// first trial's start to the end, without starting processes or loading plugins) and the CPU
// time of its host process (rank 0 under MPI) meanwhile.
struct RunFigures {
    double wall_s = 0.0;
    double controller_cpu_s = 0.0;
};

// One `tune run` with 2 CPUs per node; under mpirun with `ranks` ranks when ranks > 1, the
// trials then all on agents' nodes.
RunFigures run_figures(const fs::path &experiment, [[maybe_unused]] int ranks) { // unused without MPI
    static int run = 0;
    const std::string name = fmt::format("mpi{}", run++);
    std::string command = fmt::format("'{}' --plugin-path '{}' run '{}' --progress quiet --set experiment.name='\"{}\"' "
                                      "--set experiment.cpus_per_node=2",
                                      TUNE_BENCH_TUNE_EXE, TUNE_BENCH_PLUGIN, experiment.string(), name);
#ifdef TUNE_BENCH_MPIEXEC
    if (ranks > 1)
        command = fmt::format("'{}' --oversubscribe --allow-run-as-root -np {} {} --node-per-rank "
                              "--set experiment.trials_on_controller=false",
                              TUNE_BENCH_MPIEXEC, ranks, command);
#endif
    if (std::system((command + " > /dev/null").c_str()) != 0) {
        std::cerr << "benchmark run failed: " << command << "\n";
        std::exit(1);
    }
    const fs::path summary_file = experiment.parent_path() / experiment.stem() / name / "summary.json";
    const auto summary = nlohmann::json::parse(std::ifstream(summary_file));
    return {summary.at("wall_time_s").get<double>(), summary.at("controller_cpu_s").get<double>()};
}

// The relay's cost: the same trials on rank 0's node and on an agent's, and what rank 0's
// process spends per trial and per result (docs/scale-out.md plans a cluster with it).
void bench_mpi_relay(const fs::path &dir, long long trials, long long results, int repeats) {
    const fs::path overhead_file = write_experiment(dir, "mpi_overhead", trials, 1);
    const fs::path throughput_file = write_experiment(dir, "mpi_throughput", 2, results / 2);
    std::vector<double> local_trial, agent_trial, local_rate, agent_rate, cpu_per_trial, cpu_per_result;
    for (int r = 0; r < repeats; ++r) {
        local_trial.push_back(run_figures(overhead_file, 1).wall_s / trials);
        const RunFigures agent_trials = run_figures(overhead_file, 2);
        agent_trial.push_back(agent_trials.wall_s / trials);
        cpu_per_trial.push_back(agent_trials.controller_cpu_s / trials);
        local_rate.push_back(results / run_figures(throughput_file, 1).wall_s);
        const RunFigures agent_results = run_figures(throughput_file, 2);
        agent_rate.push_back(results / agent_results.wall_s);
        cpu_per_result.push_back(agent_results.controller_cpu_s / results);
    }
    const double local = median(local_trial), agent = median(agent_trial);
    const double local_results = median(local_rate), agent_results = median(agent_rate);
    std::cout << "mpi relay: trials on rank 0's node against trials on a node agent's (experiment wall time; "
                 "2 CPUs per node)\n";
    std::cout << fmt::format("  {} trials x 1 result, rank 0's node {:8.3f} ms/trial\n", trials, local * 1e3);
    std::cout << fmt::format("  {} trials x 1 result, agent's node  {:8.3f} ms/trial   the relay adds {:.3f} ms/trial\n",
                             trials, agent * 1e3, (agent - local) * 1e3);
    std::cout << fmt::format("  2 trials x {} results, rank 0's node {:10.0f} results/s\n", results / 2, local_results);
    std::cout << fmt::format("  2 trials x {} results, agent's node  {:10.0f} results/s   (goal >= 50,000) the relay "
                             "adds {:.4f} ms/result (goal < 0.2)\n",
                             results / 2, agent_results, (1.0 / agent_results - 1.0 / local_results) * 1e3);
    std::cout << fmt::format("  rank 0's CPU with every trial on an agent: {:.3f} ms per trial, {:.2f} us per result\n",
                             median(cpu_per_trial) * 1e3, median(cpu_per_result) * 1e6);
}

tune::core::TrialContextArgs context(const fs::path &dir) { return {"00000", dir.string(), 1, 0.0, 1}; }

// Seconds for `trials` trials of `steps` steps each, called directly in this process.
double time_direct(const fs::path &dir, long long trials, long long steps) {
    auto library = tune::core::PluginLibrary::load(TUNE_BENCH_PLUGIN);
    tune::core::TrainableAdapter trainable(library->create("org.tune.bench.noop", tune::core::host_services()));
    auto start = Clock::now();
    for (long long t = 0; t < trials; ++t) {
        trainable.setup(fmt::format("{{\"x\":{}}}", 0.5 + t * 1e-6), context(dir));
        for (long long s = 0; s < steps; ++s) trainable.step();
    }
    return seconds_since(start);
}

tune::core::Message await_reply(tune::core::WorkerProcess &worker) {
    auto reply = worker.next_reply(60.0);
    if (!reply) {
        std::cerr << "worker gave no reply: " << (worker.closed() ? worker.wait_and_describe() : "timeout") << "\n";
        std::exit(1);
    }
    return *reply;
}

// Seconds per trial when every trial gets its own freshly started worker process.
double time_process_per_trial(const fs::path &dir, int trials) {
    const tune::core::Message request = tune::core::encode_start_trial(
        {TUNE_BENCH_PLUGIN, "org.tune.bench.noop", {{"x", 0.5}}, "0", dir.string(), 1, 0.0, 1, ""});
    auto begin = Clock::now();
    for (int t = 0; t < trials; ++t) {
        auto worker = tune::core::WorkerProcess::spawn({TUNE_BENCH_WORKER_EXE, dir / "worker.log", {}});
        await_reply(*worker); // Ready
        worker->send(request);
        await_reply(*worker);
        worker->send({tune::core::MessageType::Step, {}});
        await_reply(*worker);
        worker->shutdown();
    }
    return seconds_since(begin) / trials;
}

} // namespace

int main(int argc, char **argv) {
    long long overhead_trials = 10000, throughput_results = 200000;
    int repeats = 5;
    fs::path parent = fs::temp_directory_path();
    fs::path baseline; // another build's folder, measured beside this one
    bool mpi = false;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--mpi") {
            mpi = true;
            continue;
        }
        const char *value = i + 1 < argc ? argv[++i] : "";
        if (flag == "--trials") overhead_trials = std::atoll(value);
        else if (flag == "--results") throughput_results = std::atoll(value);
        else if (flag == "--repeats") repeats = std::atoi(value);
        else if (flag == "--dir") parent = value;
        else if (flag == "--baseline") baseline = value;
        else {
            std::cerr << "usage: tune_engine_bench [--trials N] [--results N] [--repeats N] [--dir DIR] "
                         "[--baseline BUILD_DIR] [--mpi]\n";
            return 2;
        }
    }
#ifndef TUNE_BENCH_MPIEXEC
    if (mpi) {
        std::cerr << "--mpi: this build has no MPI support (TUNE_WITH_MPI=OFF)\n";
        return 2;
    }
#endif
    const fs::path baseline_tune = baseline.empty() ? fs::path() : baseline / "bin" / "tune";
    if (!baseline.empty() && !fs::exists(baseline_tune)) {
        std::cerr << "no " << baseline_tune.string() << "\n";
        return 2;
    }
    const fs::path dir = parent / fmt::format("tune-bench-{}", ::getpid());
    fs::create_directories(dir);
    std::cout << fmt::format("tune engine benchmark: {} CPUs, median of {} runs, results under {}{}\n\n",
                             std::thread::hardware_concurrency(), repeats, dir.string(),
                             baseline.empty() ? "" : ", baseline " + baseline.string());
    if (mpi) {
        bench_mpi_relay(dir, overhead_trials, throughput_results, repeats);
        fs::remove_all(dir);
        return 0;
    }

    // Overhead: 10,000 one-result trials.
    const fs::path overhead_file = write_experiment(dir, "overhead", overhead_trials, 1);
    std::vector<double> tune_runs, baseline_runs, direct_runs, spawn_runs;
    for (int r = 0; r < repeats; ++r) {
        tune_runs.push_back(time_tune_run(TUNE_BENCH_TUNE_EXE, overhead_file) / overhead_trials);
        if (!baseline.empty()) baseline_runs.push_back(time_tune_run(baseline_tune, overhead_file) / overhead_trials);
        direct_runs.push_back(time_direct(dir, overhead_trials, 1) / overhead_trials);
        spawn_runs.push_back(time_process_per_trial(dir, 200));
    }
    const double per_trial = median(tune_runs), direct = median(direct_runs), spawn = median(spawn_runs);
    std::cout << fmt::format("overhead: {} trials x 1 result (no-op trainable, random searcher, FIFO)\n", overhead_trials);
    std::cout << fmt::format("  tune run                        {:8.3f} ms/trial   (goal < 2 ms; Ray Tune ~140 ms)\n", per_trial * 1e3);
    if (!baseline.empty())
        std::cout << fmt::format("  baseline tune run               {:8.3f} ms/trial   this build takes {:.2f}x its time\n",
                                 median(baseline_runs) * 1e3, per_trial / median(baseline_runs));
    std::cout << fmt::format("  one worker process per trial    {:8.3f} ms/trial   tune is {:.1f}x faster\n", spawn * 1e3, spawn / per_trial);
    std::cout << fmt::format("  direct in-process calls         {:8.4f} ms/trial   tune costs {:.3f} ms/trial more\n\n",
                             direct * 1e3, (per_trial - direct) * 1e3);

    // Throughput: 2 trials reporting as fast as they can, every result written to disk.
    const long long per_trial_results = throughput_results / 2;
    const fs::path throughput_file = write_experiment(dir, "throughput", 2, per_trial_results);
    const fs::path lockstep_file = write_experiment(dir, "lockstep", 2, per_trial_results, true);
    std::vector<double> tune_rates, lockstep_rates, baseline_rates, direct_rates;
    for (int r = 0; r < repeats; ++r) {
        tune_rates.push_back(2.0 * per_trial_results / time_tune_run(TUNE_BENCH_TUNE_EXE, throughput_file));
        lockstep_rates.push_back(2.0 * per_trial_results / time_tune_run(TUNE_BENCH_TUNE_EXE, lockstep_file));
        if (!baseline.empty())
            baseline_rates.push_back(2.0 * per_trial_results / time_tune_run(baseline_tune, throughput_file));
        direct_rates.push_back(per_trial_results / time_direct(dir, 1, per_trial_results));
    }
    const double rate = median(tune_rates), direct_rate = median(direct_rates);
    std::cout << fmt::format("throughput: 2 trials x {} results, each written to result.jsonl and progress.csv\n",
                             per_trial_results);
    std::cout << fmt::format("  tune run                        {:10.0f} results/s   (goal >= 100,000; Ray Tune ~500)\n", rate);
    std::cout << fmt::format("  tune run, one step at a time    {:10.0f} results/s   stepping ahead is {:.2f}x as fast\n",
                             median(lockstep_rates), rate / median(lockstep_rates));
    if (!baseline.empty())
        std::cout << fmt::format("  baseline tune run               {:10.0f} results/s   this build is {:.2f}x as fast\n",
                                 median(baseline_rates), rate / median(baseline_rates));
    std::cout << fmt::format("  direct in-process step calls    {:10.0f} results/s   tune reaches {:.1f}% of it\n", direct_rate,
                             100.0 * rate / direct_rate);
    fs::remove_all(dir);
    return 0;
}
