// The experiment engine: runs trials in worker processes within a resource budget, asks the
// searcher for configs and the scheduler for decisions, and writes the results folder.
#pragma once

#include <poll.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/config/experiment.hpp"
#include "core/engine/resource_pool.hpp"
#include "core/engine/trial.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "core/plugin/scheduler_adapter.hpp"
#include "core/plugin/searcher_adapter.hpp"
#include "core/report/experiment_summary.hpp"
#include "core/report/progress_reporter.hpp"
#include "core/report/trial_logger.hpp"
#include "core/state/experiment_lock.hpp"
#include "core/state/state_store.hpp"
#include "core/worker/worker_process.hpp"

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
};

struct EngineOutcome {
    ExperimentSummary summary;
    int errored_trials = 0;
    bool interrupted = false;
    std::filesystem::path experiment_dir;
};

// Thrown before any trial runs, for a problem with the experiment as a whole (its folder
// exists, a trial can never fit the resources). The CLI maps it to exit status 2.
class ExperimentSetupError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A file or folder of the experiment could not be written (a full disk, no permission): the
// run stops, resumably. The CLI reports it with the way to resume.
class DiskError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Runs on the calling thread; the only other thread of control is the SIGINT handler, which
// only sets a flag (see request_stop).
class Engine {
public:
    Engine(Experiment experiment, const PluginRegistry &registry, EngineOptions options);
    ~Engine();
    Engine(const Engine &) = delete;
    Engine &operator=(const Engine &) = delete;

    EngineOutcome run();

    // Asks the running engine to stop: the first call ends trials gracefully after their
    // current step, the second at once. Async-signal-safe (a SIGINT handler calls it).
    static void request_stop();

private:
    using Clock = std::chrono::steady_clock;
    enum class Ending { None, Stop, Pause };

    // A worker process and the trial it is running, if any.
    struct WorkerSlot {
        std::unique_ptr<WorkerProcess> process;
        std::string resource_key; // CUDA_VISIBLE_DEVICES and thread count it was started with
        Trial *trial = nullptr;
        std::deque<MessageType> awaiting; // replies expected, in request order
        std::unique_ptr<TrialLogger> logger;
        Clock::time_point step_started;
        long long iterations_since_restore = 0;
        Ending ending = Ending::None;
        std::string end_reason;
        std::filesystem::path pending_checkpoint; // the .tmp folder a Save is writing
        long long pending_checkpoint_iteration = 0;
        Clock::time_point waiting_since; // when the oldest reply still awaited was requested
    };

    void prepare_experiment_dir();
    // Resume: the trials, searcher and scheduler as saved; drops what the state does not know.
    void restore_state(const ExperimentState &state);
    ExperimentState snapshot() const;
    // Saves the state if it changed, at most every state_save_interval_s unless forced.
    void save_state(bool force);
    void delete_dropped_checkpoints(bool all);
    void check_step_timeouts();
    static void expect(WorkerSlot &slot, MessageType reply_to); // a reply is now awaited
    void run_loop(bool &interrupted); // until nothing runs; sets interrupted on Ctrl-C
    void create_trials();
    void start_trials();
    void launch(Trial &trial, Allocation allocation);
    // How to start a worker for allocation, its output going to log_file.
    WorkerLaunch worker_launch(const Allocation &allocation, const std::filesystem::path &log_file) const;
    // The worker's StartTrial request for trial; restore_from is a checkpoint folder or null.
    nlohmann::json start_request(const Trial &trial, const Allocation &allocation,
                                 const nlohmann::json &restore_from) const;
    // The trainable's evaluate() of the best trial's latest checkpoint, in a worker of its
    // own; null if there is none, the plugin has no evaluate extension, or it failed.
    nlohmann::json evaluate_best(const ExperimentSummary &summary);
    WorkerSlot &acquire_worker(const Allocation &allocation);
    void handle_replies(WorkerSlot &slot);
    void handle_reply(WorkerSlot &slot, MessageType request, const Message &reply);
    void on_result(WorkerSlot &slot, const std::string &payload);
    std::string stop_criteria_reason(const Trial &trial, const nlohmann::json &result) const;
    void request_checkpoint(WorkerSlot &slot);
    void commit_checkpoint(WorkerSlot &slot);
    void apply_retention(Trial &trial);
    void end_trial(WorkerSlot &slot);
    void fail_trial(WorkerSlot &slot, const std::string &message);
    void detach(WorkerSlot &slot);
    void handle_worker_exit(WorkerSlot &slot);
    // Stops creating and starting trials. A resumable stop (Ctrl-C, a host error) pauses the
    // running trials after their step with a checkpoint; otherwise they end (TERMINATED).
    void begin_stopping(const std::string &reason, bool resumable);
    // Whether a trial ending for reason ends because of a resumable stop (Ctrl-C, host error).
    bool is_interruption(const std::string &reason) const;
    void remove_exited_workers(); // drops slots whose process handle_worker_exit released
    void kill_all_workers();
    void finish_unstarted_trials();
    void report_progress(bool force);
    std::size_t first_unfinished() const;
    std::size_t count(TrialStatus status) const; // among unfinished trials (not TERMINATED/ERROR)
    std::size_t free_slots() const;
    double elapsed_s() const;
    nlohmann::json trial_config(const Trial &trial) const;
    ExperimentSummary make_summary() const;

    Experiment experiment_;
    const PluginRegistry &registry_;
    EngineOptions options_;
    std::ostream &out_;
    std::filesystem::path experiment_dir_;
    std::filesystem::path trainable_library_;
    std::string trainable_id_;
    std::unique_ptr<SearcherAdapter> searcher_;
    std::unique_ptr<SchedulerAdapter> scheduler_;
    ResourcePool pool_;
    ProgressReporter reporter_;

    std::vector<std::unique_ptr<Trial>> trials_;
    mutable std::size_t first_unfinished_ = 0; // every trial before it is finished
    std::vector<std::unique_ptr<WorkerSlot>> workers_;
    std::vector<pollfd> poll_fds_;     // reused by every loop turn
    std::vector<WorkerSlot *> polled_; // the slot of each poll_fds_ entry
    std::size_t workers_started_ = 0;
    bool searcher_finished_ = false;
    bool searcher_waiting_ = false; // answered "not ready": ask again after news
    bool scheduling_needed_ = true; // create_trials/start_trials could do something
    bool stopping_ = false;
    bool resumable_stop_ = false; // the stop leaves unfinished trials to `tune resume`
    std::string stop_reason_;
    Clock::time_point started_;
    double elapsed_before_s_ = 0.0; // wall time of earlier starts of a resumed experiment
    std::string started_at_;

    std::unique_ptr<ExperimentLock> lock_; // held while this engine owns the folder
    std::unique_ptr<StateStore> state_store_;
    bool state_dirty_ = false;
    Clock::time_point last_state_save_;
    double state_save_interval_s_ = 0.25; // grows with the cost of a save
    std::uint64_t state_sequence_ = 0;
    // Checkpoints retention dropped, deleted once no saved copy of the state names them.
    std::vector<std::pair<std::uint64_t, std::filesystem::path>> dropped_checkpoints_;
};

} // namespace tune::core
