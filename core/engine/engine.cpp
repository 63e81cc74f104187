#include "core/engine/engine.hpp"

#include <atomic>
#include <csignal>
#include <iostream>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/config/plugin_settings.hpp"
#include "core/engine/best_trial_evaluator.hpp"
#include "core/engine/controller.hpp"
#include "core/plugin/host_services.hpp"
#include "core/report/trial_table.hpp"
#include "core/state/experiment_folder.hpp"
#include "core/state/state_store.hpp"
#include "core/worker/local_executor.hpp"

namespace tune::core {

namespace {

std::atomic<int> g_stop_requests{0};

// SIGINT reaches Engine::request_stop while run() runs; the previous handler comes back after.
class InterruptHandler {
public:
    InterruptHandler() : previous_(std::signal(SIGINT, [](int) { Engine::request_stop(); })) {
        std::signal(SIGPIPE, SIG_IGN); // a dead worker shows up as EOF on its pipe instead
    }
    ~InterruptHandler() { std::signal(SIGINT, previous_); }
    InterruptHandler(const InterruptHandler &) = delete;
    InterruptHandler &operator=(const InterruptHandler &) = delete;

private:
    void (*previous_)(int);
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

} // namespace

void Engine::request_stop() { g_stop_requests.fetch_add(1); }

Engine::Engine(Experiment experiment, const PluginRegistry &registry, EngineOptions options)
    : experiment_(std::move(experiment)), registry_(registry), options_(std::move(options)) {
    if (options_.experiment_dir.empty()) options_.experiment_dir = experiment_.experiment_dir();
}

EngineOutcome Engine::run() {
    const PluginInfo &trainable = registry_.resolve(experiment_.trainable_plugin, TUNE_KIND_TRAINABLE);
    ResourcePool pool(experiment_.total_cpus.value_or(std::max(1u, std::thread::hardware_concurrency())),
                      static_cast<int>(experiment_.total_gpus.value_or(detect_gpus())));
    if (!pool.fits_empty_pool(experiment_.resources))
        throw ExperimentSetupError(fmt::format(
            "a trial asks for {} CPUs and {} GPUs, but the experiment has {} CPUs and {} GPUs in all "
            "(trainable.resources, experiment.total_cpus / total_gpus)",
            format_number(experiment_.resources.cpu), format_number(experiment_.resources.gpu),
            format_number(pool.total_cpus()), pool.total_gpus()));

    SearcherAdapter searcher(registry_.create(experiment_.searcher.plugin, host_services(), TUNE_KIND_SEARCHER));
    searcher.setup(searcher_settings(experiment_).dump());
    SchedulerAdapter scheduler(registry_.create(experiment_.scheduler.plugin, host_services(), TUNE_KIND_SCHEDULER));
    scheduler.setup(scheduler_settings(experiment_).dump());

    const auto folder = options_.resume_state ? ExperimentFolder::reopen(options_.experiment_dir)
                                              : ExperimentFolder::create(options_.experiment_dir, experiment_,
                                                                         options_.overwrite);
    const std::filesystem::path &dir = folder->dir();
    LocalExecutor executor({options_.worker_executable, folder->log_dir(), trainable.file, trainable.id,
                            experiment_.step_timeout_s.value_or(0.0)});
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

    Controller controller(experiment_, dir, std::move(pool),
                          {executor, searcher, scheduler, checkpoints, records, state, reporter, clock,
                           g_stop_requests, out});
    if (options_.resume_state) controller.restore(*options_.resume_state);
    g_stop_requests.store(0);

    EngineOutcome outcome;
    outcome.experiment_dir = dir;
    {
        InterruptHandler interrupts;
        try {
            outcome.interrupted = controller.run();
        } catch (const std::exception &) {
            try { // every trial so far, in summary.json too
                write_summary(dir, controller.summary());
            } catch (const std::exception &write_error) {
                spdlog::error("{}", write_error.what());
            }
            throw;
        }
        outcome.summary = controller.summary();
        if (!outcome.interrupted) outcome.summary.best_evaluation = evaluate_best(controller, experiment_, executor, outcome.summary);
        executor.shutdown();
    }
    for (const auto &trial : outcome.summary.trials) outcome.errored_trials += trial.status == "ERROR";
    write_summary(dir, outcome.summary);
    controller.report_progress(true);
    return outcome;
}

} // namespace tune::core
