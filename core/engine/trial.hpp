// One trial: a config, its status, and what it has produced so far.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/engine/step_pipeline.hpp"
#include "core/execution/allocation.hpp"
#include "core/report/result_line.hpp"
#include "core/report/trial_logger.hpp" // LogExtent

namespace tune::core {

enum class TrialStatus { Pending, Running, Paused, Terminated, Error };

const char *status_name(TrialStatus status); // "PENDING", "RUNNING", ...

// How a running trial is to end once its last checkpoint is written.
enum class TrialEnding { None, Stop, Pause };

// What the controller tracks while a trial runs; made afresh at each start.
struct TrialRun {
    Allocation allocation;
    unsigned threads = 1; // its intra-op threads: the allocation's, plus spare CPUs lent to it
    StepTimes steps;                  // the Steps in flight, on the controller's clock
    long long decision_point = 0;     // the scheduler promised CONTINUE for results before this iteration
    long long iterations_since_restore = 0;
    long long worker_pid = 0; // the process running the trial, once Started says (0: not known)
    int requests_owed = 0; // requests sent to the executor whose events have not come back
    TrialEnding ending = TrialEnding::None; // decided, or the experiment's stop still to apply
    bool ending_decided = false;            // by a result: no more results are the trial's
    std::string end_reason;
    bool interruption = false;     // the ending is a resumable stop of the experiment (Ctrl-C, host error)
    long long saving_iteration = -1; // the iteration of the checkpoint being saved, or -1
    std::filesystem::path saving_dir; // the folder it is being saved into
    bool checkpoint_next_result = false; // the scheduler asked for a checkpoint (actions)
};

struct CheckpointRecord {
    long long iteration = 0;
    std::filesystem::path dir;
    double score = 0.0; // the score attribute's value at that iteration (NaN if absent)
    double time_total_s = 0.0; // the trial's training time at that iteration
};

// One exploit (Population Based Training): the trial continued from another trial's
// checkpoint with a new config. Its results then continue from the donor's training_iteration.
struct LineageStep {
    long long iteration = 0;       // the trial's training_iteration when it was exploited
    std::string donor;             // the trial it continued from
    long long donor_iteration = 0; // the donor checkpoint's: the trial's next result is this + 1
    nlohmann::json old_config;     // the trial's hyperparameters before, and after
    nlohmann::json new_config;
    std::string time; // ISO 8601 UTC
};

// An exploit the scheduler asked for, waiting for a checkpoint of its donor still being saved.
struct PendingExploit {
    std::string donor;
    nlohmann::json config;
    std::string detail_json;
    bool log_config = true;
};

struct Trial {
    std::string id;                 // "00007": zero-padded creation index
    std::filesystem::path dir;      // <experiment>/trial_00007
    nlohmann::json config;          // the searcher's suggestion (hyperparameters only)
    std::uint64_t seed = 0;         // per-trial seed handed to the trainable
    TrialStatus status = TrialStatus::Pending;

    std::optional<ResultLine> last_result; // none until the first result
    long long iteration = 0;        // training_iteration of last_result
    double time_total_s = 0.0;      // training time over all runs of the trial
    std::vector<CheckpointRecord> checkpoints; // oldest first
    std::string stop_reason;        // why it ended (TERMINATED or ERROR)
    std::string error;              // the latest failure (the cause, for ERROR)
    long long failures = 0;
    bool interrupted = false;       // stopped by Ctrl-C or a host error: resume restarts it

    std::vector<LineageStep> lineage; // its exploits, oldest first
    std::optional<PendingExploit> pending_exploit; // PAUSED until it is applied

    std::optional<TrialRun> run; // while RUNNING

    const CheckpointRecord *latest_checkpoint() const {
        return checkpoints.empty() ? nullptr : &checkpoints.back();
    }
    bool finished() const { return status == TrialStatus::Terminated || status == TrialStatus::Error; }
    // PENDING or PAUSED with nothing to wait for: the scheduler may choose it.
    bool waiting_to_run() const {
        return (status == TrialStatus::Pending || status == TrialStatus::Paused) && !pending_exploit;
    }
};

// How much of trial's logs a restart from the checkpoint of iteration resume_from keeps: every
// segment of its lineage, and its current one through resume_from.
LogExtent log_extent(const Trial &trial, long long resume_from);

// Per-trial seeds: a SplitMix64 step of the experiment seed and the trial index, so trials
// get unrelated streams and the same experiment seed gives the same seeds.
std::uint64_t trial_seed(std::uint64_t experiment_seed, std::size_t index);

// The config a trainable gets for trial: the experiment's constants (trainable.config) with the
// trial's hyperparameters merged over them, nested tables key by key.
nlohmann::json trainable_config(const nlohmann::json &constants, const Trial &trial);

} // namespace tune::core
