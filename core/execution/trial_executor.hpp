// The seam between the controller, which decides what each trial does next, and whatever
// runs the trials: tune-worker processes on this machine (core/worker/local_executor), the
// ranks of an MPI job, or a script in a test. In the spirit of ninja's CommandRunner:
// requests return at once, and what the trials answer comes back from poll() as events.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/execution/allocation.hpp"

namespace tune::core {

// Everything a trial needs to start on its allocation.
struct TrialLaunch {
    std::string trial_id;
    Allocation allocation;
    std::string trial_dir;    // the trial's own folder (the trainable's context)
    nlohmann::json config;    // the trial's hyperparameters merged with the trainable's constants
    std::uint64_t seed = 0;
    std::string restore_from; // a checkpoint folder to continue from, or "" to start afresh
};

// What the controller asked of a trial; each event answers one of them.
enum class TrialRequest : std::uint8_t { Start, Step, Save, Evaluate };

const char *trial_request_name(TrialRequest request); // "Start", "Step", ...

struct TrialEvent {
    enum class Kind : std::uint8_t {
        Started,   // Start succeeded: the trainable is set up (and restored, if asked); text is
                   // started_text(pid) of the process that runs the trial, or empty
        Result,    // a Step's result; text is the trainable's JSON object, as it wrote it
        Saved,     // a Save finished: the checkpoint folder is complete
        Evaluated, // an Evaluate's result; text is a JSON object
        Failed,    // the trainable answered `request` with an error: status is its tune_status_t,
                   // text its message followed by the worker's last output
        Skipped,   // a Step queued behind a result that said "done": not run
        Lost,      // the trial's worker ended or stopped answering `request` (a crash, a kill,
                   // a step timeout); text says how, followed by its last output
    };
    Kind kind = Kind::Result;
    std::string trial_id;
    TrialRequest request = TrialRequest::Step; // the request this event answers
    int status = 0;                            // Failed only
    std::string text;
};

// A Started event's text: {"pid":n}; started_pid reads it back (0 for an empty or other text).
std::string started_text(long long pid);
long long started_pid(const std::string &text);

// Runs trials for one trainable. Events of one trial arrive in the order of its requests.
// Requests may be held back until the next poll, so that those made together travel together;
// a trial may be sent several Steps ahead, each answered by its own Result.
// After a Failed or Lost event the executor has forgotten the trial: further requests for it
// are ignored, and it needs no release. Not thread-safe: one thread (the controller's) calls
// every function.
class TrialExecutor {
public:
    virtual ~TrialExecutor() = default;

    // Starts launch.trial_id on its allocation (reusing an idle worker that fits). Answered by
    // Started, or by Failed / Lost.
    virtual void start(const TrialLaunch &launch) = 0;
    // One step of training. Answered by Result.
    virtual void step(const std::string &trial_id) = 0;
    // A checkpoint into checkpoint_dir, an existing empty folder. Answered by Saved.
    virtual void save(const std::string &trial_id, const std::string &checkpoint_dir) = 0;
    // The trainable's evaluate extension on a checkpoint. Answered by Evaluated, or by Failed
    // with TUNE_ERROR_NOT_SUPPORTED when the trainable has none.
    virtual void evaluate(const std::string &trial_id, const std::string &checkpoint_dir) = 0;
    // The trial is over: its worker may run another trial. Replies still owed are dropped.
    virtual void release(const std::string &trial_id) = 0;
    // The trial's intra-op thread count from its next step on: spare CPUs lent to it, or taken
    // back (the trainable's update_context extension; one without it keeps its count). No
    // event answers it, and it never fails the trial.
    virtual void set_threads(const std::string &trial_id, unsigned threads) = 0;

    // Waits up to timeout_s for news and appends every event that arrived to events. Returns
    // early once there is at least one.
    virtual void poll(double timeout_s, std::vector<TrialEvent> &events) = 0;

    // Ends every trial at once, with no events (a second Ctrl-C, a host error).
    virtual void abort() = 0;
    // Ends every worker gracefully, at the end of the experiment.
    virtual void shutdown() = 0;
};

} // namespace tune::core
