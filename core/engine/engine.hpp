// The experiment engine: puts together what `tune run` needs (the plugins, the experiment
// folder, the execution backend's nodes and executor, the results files and the saved state) and runs the
// controller over them to the end, then scores the best trial and writes summary.json.
#pragma once

#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

#include "core/config/experiment.hpp"
#include "core/execution/execution_backend.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "core/report/experiment_summary.hpp"
#include "core/report/progress_reporter.hpp"
#include "core/state/experiment_errors.hpp"
#include "core/state/experiment_state.hpp"

namespace tune::core {

struct EngineOptions {
    std::filesystem::path worker_executable; // tune-worker
    ProgressStyle progress_style = ProgressStyle::Plain;
    double progress_interval_s = 5.0;
    std::ostream *progress_out = nullptr; // default: std::cout
    bool overwrite = false;               // replace an existing experiment folder
    // Continue the experiment saved in this state (tune resume) instead of starting afresh.
    std::optional<ExperimentState> resume_state;
    std::filesystem::path experiment_dir; // default: the experiment's results_dir / name
    double state_save_interval_s = 0.25;  // the most often the state is saved while running
                                          // (less often when a save takes over 1/20 of it)
    // Where trials run; null: this machine (LocalBackend). Not owned; outlives run().
    ExecutionBackend *backend = nullptr;
    // report.html (and summary.json) refreshed at most this often while the experiment runs,
    // and written at its end; 0: only at the end.
    double report_interval_s = 30.0;
};

struct EngineOutcome {
    ExperimentSummary summary;
    int errored_trials = 0;
    bool interrupted = false;
    std::filesystem::path experiment_dir;
    std::filesystem::path report; // report.html, or empty when it could not be written
};

class Engine {
public:
    Engine(Experiment experiment, const PluginRegistry &registry, EngineOptions options);

    // Runs the experiment on the calling thread. Throws ExperimentSetupError before any trial
    // runs, DiskError when the experiment's files cannot be written (the state saved so far
    // stays resumable), PluginCallError when a searcher or scheduler fails.
    EngineOutcome run();

    // Asks the running engine to stop: the first call ends trials gracefully after their
    // current step, the second at once. Async-signal-safe (a SIGINT handler calls it).
    static void request_stop();

private:
    Experiment experiment_;
    const PluginRegistry &registry_;
    EngineOptions options_;
};

} // namespace tune::core
