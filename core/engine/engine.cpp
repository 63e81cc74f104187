#include "core/engine/engine.hpp"

#include <sys/resource.h>

#include <atomic>
#include <csignal>
#include <iostream>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/config/plugin_settings.hpp"
#include "core/engine/best_trial_evaluator.hpp"
#include "core/engine/controller.hpp"
#include "core/engine/live_report.hpp"
#include "core/engine/searcher_wrappers.hpp"
#include "core/plugin/host_services.hpp"
#include "core/report/html_report.hpp"
#include "core/report/trial_table.hpp"
#include "core/state/experiment_folder.hpp"
#include "core/state/plugin_record.hpp"
#include "core/state/state_store.hpp"
#include "core/worker/local_backend.hpp"

namespace tune::core {

namespace {

std::atomic<int> g_stop_requests{0};

// While run() runs, SIGINT (Ctrl-C) reaches Engine::request_stop, and SIGTERM calls it twice:
// a stop at once, resumable, because whoever sends SIGTERM (mpirun when another rank died,
// Slurm at the time limit, systemd) sends SIGKILL soon after. The previous handlers come
// back after.
class InterruptHandler {
public:
    InterruptHandler()
        : previous_interrupt_(std::signal(SIGINT, [](int) { Engine::request_stop(); })),
          previous_terminate_(std::signal(SIGTERM, [](int) {
              Engine::request_stop();
              Engine::request_stop();
          })) {
        std::signal(SIGPIPE, SIG_IGN); // a dead worker shows up as EOF on its pipe instead
    }
    ~InterruptHandler() {
        std::signal(SIGINT, previous_interrupt_);
        std::signal(SIGTERM, previous_terminate_);
    }
    InterruptHandler(const InterruptHandler &) = delete;
    InterruptHandler &operator=(const InterruptHandler &) = delete;

private:
    void (*previous_interrupt_)(int);
    void (*previous_terminate_)(int);
};

// The best trial's checkpoint scored on held-out data, if the trainable can (see
// best_trial_evaluator.hpp); null when there is nothing to score.
nlohmann::json evaluate_best(const Controller &controller, const Experiment &experiment, TrialExecutor &executor,
                             const ExperimentSummary &summary) {
    const auto best = summary.best_trial();
    if (!best) return nullptr;
    const Trial &trial = *controller.trials()[*best];
    const CheckpointRecord *checkpoint = trial.latest_checkpoint();
    if (!checkpoint) return nullptr;
    ResourcePool pool = controller.pool(); // every trial has ended: it fits
    auto allocation = pool.try_allocate(experiment.resources);
    if (!allocation) return nullptr;
    const TrialLaunch launch{trial.id, *allocation, trial.dir.string(),
                             trainable_config(experiment.trainable_config, trial), trial.seed, ""};
    return evaluate_checkpoint(executor, launch, checkpoint->dir.string(), g_stop_requests);
}

// "4 CPUs and 1 GPU on node-a": the most a trial could ask of one node.
std::string largest_node(const std::vector<NodeResources> &nodes) {
    const NodeResources *largest = nullptr;
    for (const auto &node : nodes)
        if (!largest || node.cpus > largest->cpus ||
            (node.cpus == largest->cpus && node.gpu_names.size() > largest->gpu_names.size()))
            largest = &node;
    if (!largest) return "nothing";
    return fmt::format("{} CPUs and {} GPUs on {}", format_number(largest->cpus), largest->gpu_names.size(), largest->name);
}

// User and system CPU seconds of this process so far, all its threads.
// The final report.html; a page that cannot be written is a warning, never a failed run.
std::filesystem::path write_final_report(const std::filesystem::path &dir) {
    try {
        return write_html_report(dir).path;
    } catch (const std::exception &e) {
        spdlog::warn("the report was not written: {} (`tune report {}` tries again)", e.what(), dir.string());
        return {};
    }
}

double process_cpu_s() {
    rusage usage{};
    ::getrusage(RUSAGE_SELF, &usage);
    auto seconds = [](const timeval &t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

} // namespace

void Engine::request_stop() { g_stop_requests.fetch_add(1); }

Engine::Engine(Experiment experiment, const PluginRegistry &registry, EngineOptions options)
    : experiment_(std::move(experiment)), registry_(registry), options_(std::move(options)) {
    if (options_.experiment_dir.empty()) options_.experiment_dir = experiment_.experiment_dir();
}

EngineOutcome Engine::run() {
    const PluginInfo &trainable = registry_.resolve(experiment_.trainable_plugin, TUNE_KIND_TRAINABLE);
    LocalBackend local_backend;
    ExecutionBackend &backend = options_.backend ? *options_.backend : local_backend;
    ResourcePool pool(experiment_nodes(backend.nodes(), experiment_));
    if (!pool.fits_empty_pool(experiment_.resources))
        throw ExperimentSetupError(fmt::format(
            "a trial asks for {} CPUs and {} GPUs, but no node has that many (the largest offers {}); "
            "see trainable.resources and experiment.cpus_per_node / gpus_per_node (total_cpus / total_gpus on one "
            "machine)",
            format_number(experiment_.resources.cpu), format_number(experiment_.resources.gpu),
            largest_node(pool.nodes())));
    // Every node writes into the results folder (checkpoints, logs): refuse a folder some node
    // cannot see before any trial runs, and before this run creates anything in it.
    const std::filesystem::path results_folder =
        options_.experiment_dir.has_parent_path() ? options_.experiment_dir.parent_path() : ".";
    std::error_code ignored; // a folder that cannot be made is reported by ExperimentFolder below
    std::filesystem::create_directories(results_folder, ignored);
    if (auto problem = backend.unshared_folder(results_folder)) throw ExperimentSetupError(*problem);

    const PluginInfo &searcher_plugin = registry_.resolve(experiment_.searcher.plugin, TUNE_KIND_SEARCHER);
    const PluginInfo &scheduler_plugin = registry_.resolve(experiment_.scheduler.plugin, TUNE_KIND_SCHEDULER);
    SearcherAdapter searcher(registry_.create(searcher_plugin.id, host_services(), TUNE_KIND_SEARCHER));
    searcher.setup(searcher_settings(experiment_).dump());
    WrappedSearcher wrapped_searcher(searcher, experiment_.searcher_wrappers, experiment_.metric);
    SchedulerAdapter scheduler(registry_.create(scheduler_plugin.id, host_services(), TUNE_KIND_SCHEDULER));
    scheduler.setup(scheduler_settings(experiment_).dump());

    const auto folder = options_.resume_state ? ExperimentFolder::reopen(options_.experiment_dir)
                                              : ExperimentFolder::create(options_.experiment_dir, experiment_,
                                                                         options_.overwrite);
    const std::filesystem::path &dir = folder->dir();
    try { // where each plugin came from, for a resume without the same --plugin-path
        write_plugin_record(dir, {{"trainable", trainable.id, trainable.file},
                                  {"searcher", searcher_plugin.id, searcher_plugin.file},
                                  {"scheduler", scheduler_plugin.id, scheduler_plugin.file}});
    } catch (const std::exception &e) {
        spdlog::warn("{}; `tune resume` will need the same --plugin-path", e.what());
    }
    const auto executor_owner = backend.executor({options_.worker_executable, folder->log_dir(), trainable.file,
                                                  trainable.id, experiment_.step_timeout_s.value_or(0.0)});
    TrialExecutor &executor = *executor_owner;
    FileCheckpointStorage checkpoint_storage;
    CheckpointKeeper checkpoints(checkpoint_storage, experiment_.checkpoint, experiment_.metric);
    TrialLogFiles records;
    StateStore state_store(dir);
    SystemClock clock;
    StateSaver state(
        [&state_store](const ExperimentState &saved) {
            try {
                state_store.save(saved);
            } catch (const StateError &e) {
                throw DiskError(e.what());
            }
        },
        clock, options_.state_save_interval_s);
    std::ostream &out = options_.progress_out ? *options_.progress_out : std::cout;
    ProgressReporter reporter(out, options_.progress_style, options_.progress_interval_s);

    LiveReport live_report([&dir](const ExperimentSummary &summary) { write_summary(dir, summary); },
                           [dir] { write_html_report(dir); }, clock, options_.report_interval_s);
    Controller controller(experiment_, dir, std::move(pool),
                          {executor, wrapped_searcher.get(), scheduler, checkpoints, records, state, reporter, clock,
                           g_stop_requests, out, options_.report_interval_s > 0 ? &live_report : nullptr});
    if (options_.resume_state) controller.restore(*options_.resume_state);
    g_stop_requests.store(0);

    EngineOutcome outcome;
    outcome.experiment_dir = dir;
    {
        InterruptHandler interrupts;
        const double cpu_before_s = process_cpu_s();
        try {
            outcome.interrupted = controller.run();
        } catch (const std::exception &) {
            try { // every trial so far, in summary.json too
                write_summary(dir, controller.summary());
            } catch (const std::exception &write_error) {
                spdlog::error("{}", write_error.what());
            }
            live_report.wait();
            write_final_report(dir);
            throw;
        }
        outcome.summary = controller.summary();
        outcome.summary.controller_cpu_s = process_cpu_s() - cpu_before_s;
        if (!outcome.interrupted) outcome.summary.best_evaluation = evaluate_best(controller, experiment_, executor, outcome.summary);
        // Before the workers are shut down: a stop at once (SIGTERM) may be followed by SIGKILL.
        write_summary(dir, outcome.summary);
        executor.shutdown();
    }
    live_report.wait();
    outcome.report = write_final_report(dir);
    for (const auto &trial : outcome.summary.trials) outcome.errored_trials += trial.status == "ERROR";
    controller.report_progress(true);
    return outcome;
}

} // namespace tune::core
