// The controller owns the trial lifecycle: it asks the searcher for configs, starts trials
// within the resources, tells the scheduler every result and applies its decisions and the
// stop criteria, retries failed trials, and ends the experiment. It talks only to the parts
// it is given: it never touches a worker's pipe, process or files, so tests drive it with a
// scripted executor, in memory, on a clock they move.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/config/experiment.hpp"
#include "core/engine/checkpoint_keeper.hpp"
#include "core/engine/clock.hpp"
#include "core/engine/live_report.hpp"
#include "core/engine/resource_pool.hpp"
#include "core/engine/state_saver.hpp"
#include "core/engine/step_pipeline.hpp"
#include "core/engine/trial.hpp"
#include "core/execution/trial_executor.hpp"
#include "core/plugin/scheduler_adapter.hpp"
#include "core/plugin/searcher_adapter.hpp"
#include "core/report/experiment_summary.hpp"
#include "core/report/progress_reporter.hpp"
#include "core/report/trial_records.hpp"

namespace tune::core {

// What the controller drives. All are owned by the caller and outlive the controller.
struct ControllerParts {
    TrialExecutor &executor;
    TrialSearcher &searcher; // the plugin, or wrappers around it (searcher_wrappers.hpp)
    SchedulerAdapter &scheduler;
    CheckpointKeeper &checkpoints;
    TrialRecords &records;
    StateSaver &state;
    ProgressReporter &reporter;
    const Clock &clock;
    // How many times the user asked to stop (Ctrl-C): the first pauses the running trials
    // after their step, with a checkpoint; the second ends them at once.
    const std::atomic<int> &stop_requests;
    std::ostream &out; // notices for the user
    // Refreshed with a running summary when due (tune run's live report.html); optional.
    LiveReport *live_report = nullptr;
};

// Single-threaded: every call on the caller's thread.
class Controller {
public:
    Controller(const Experiment &experiment, std::filesystem::path experiment_dir, ResourcePool pool,
               ControllerParts parts);
    Controller(const Controller &) = delete;
    Controller &operator=(const Controller &) = delete;

    // Resume: the trials, searcher and scheduler as saved. Call before run().
    void restore(const ExperimentState &state);

    // Runs until no trial can run any more, or a stop. Saves the state at the start and at the
    // end. Returns whether the user interrupted it. A host error (a searcher or scheduler call,
    // the disk) stops the trials resumably, saves what it can, and is rethrown.
    bool run();

    ExperimentState snapshot() const;
    ExperimentSummary summary() const;
    void report_progress(bool force);

    const std::vector<std::unique_ptr<Trial>> &trials() const { return trials_; }
    const ResourcePool &pool() const { return pool_; }

private:
    // The scheduler's answer to the result being handled, which its actions may change.
    struct ResultAnswer {
        Trial &trial;
        TrialEnding ending = TrialEnding::None;
        std::string reason;
        bool exploited = false; // the trial continues from another trial's checkpoint
    };

    void loop();
    void refresh_live_report(); // summary.json and report.html while the loop runs, when due
    void stop_after_error(const std::string &what);
    void save_state();
    void create_trials();
    void start_trials();
    void lend_spare_cpus(); // [experiment] lend_spare_cpus: after start_trials, when anything changed
    void launch(Trial &trial, Allocation allocation);
    void send_steps(Trial &trial); // as many as it may have in flight (step_pipeline.hpp)
    void handle(TrialEvent &event);
    void on_result(Trial &trial, std::string text);
    void finish_after_last_result(Trial &trial); // a bare {"done": true}: the previous result is the last
    // Records the scheduler's decision and turns a pause or stop into the trial's ending.
    void apply_decision(const Trial &trial, SchedulerDecision decision, TrialEnding &ending, std::string &reason);
    // The scheduler's actions (controller_actions.cpp), taken after each call that may queue
    // some; answer is the result being handled, if any.
    void apply_actions(ResultAnswer *answer);
    Trial &action_target(const std::string &trial_id, const char *action); // throws for an unknown or ended trial
    void stop_by_scheduler(Trial &trial, const std::string &detail_json, ResultAnswer *answer);
    void exploit_by_scheduler(Trial &trial, SchedulerAction &action, ResultAnswer *answer);
    void apply_ready_exploits(); // those whose donor has no checkpoint still coming
    void request_checkpoint(Trial &trial);
    void on_saved(Trial &trial);
    void end_trial(Trial &trial);             // its decided ending, now that nothing is owed
    void fail_trial(Trial &trial, const std::string &message);
    void tell_ended(const Trial &trial, bool failed); // searcher and scheduler
    void detach(Trial &trial);                // frees its resources and worker, closes its records
    void begin_stopping(const std::string &reason, bool resumable);
    void abort_trials();                      // ends every running trial now (second Ctrl-C, host error)
    void finish_unstarted_trials();
    Trial *find_trial(const std::string &id);
    Trial *running_trial(const std::string &id);
    std::size_t first_unfinished() const;
    std::size_t count(TrialStatus status) const; // among unfinished trials
    std::size_t free_slots() const;
    bool a_waiting_trial_fits() const; // a trial waits to run, and the resources for one are free
    bool a_pause_checkpoint_in_flight() const; // a paused trial's checkpoint is not yet saved
    double elapsed_s() const;

    const Experiment &experiment_;
    const std::filesystem::path experiment_dir_;
    const std::string experiment_json_; // the definition, as every saved state holds it
    const StepAheadPolicy step_policy_;
    ResourcePool pool_;
    ControllerParts parts_;

    std::vector<std::unique_ptr<Trial>> trials_; // in creation order: trial i has id "%05d" of i
    mutable std::size_t first_unfinished_ = 0;   // every trial before it is finished
    std::vector<TrialEvent> events_;             // reused by every loop turn
    std::size_t pending_exploits_ = 0; // trials with an exploit not yet applied
    bool searcher_finished_ = false;
    bool searcher_waiting_ = false; // answered "not ready": ask again after news
    bool scheduling_needed_ = true; // create_trials/start_trials could do something
    bool stopping_ = false;
    bool resumable_stop_ = false; // the stop leaves unfinished trials to `tune resume`
    bool interrupted_ = false;
    std::string stop_reason_;
    std::int64_t started_ns_ = 0;
    double elapsed_before_s_ = 0.0; // wall time of earlier starts of a resumed experiment
    std::string started_at_;
};

} // namespace tune::core
