/*
 * tune plugin ABI: the trial scheduler interface ("tune.scheduler/1").
 *
 * A scheduler decides, per reported result, whether a trial continues, pauses or stops
 * (early stopping, as ASHA does), and which waiting trial runs next. It runs inside the host
 * on the engine thread: every function is [instance-thread]. Every function returns TUNE_OK
 * or writes *error and returns an error status; after an error the instance stays safe to
 * call. All string arguments are borrowed for the call; output sinks are valid only during it.
 */
#ifndef TUNE_SCHEDULER_H
#define TUNE_SCHEDULER_H

#include "tune/entry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TUNE_SCHEDULER_INTERFACE "tune.scheduler/1"

/* What happens to a trial after a result: one of the TUNE_DECISION_* constants. */
typedef int32_t tune_decision_t;
#define TUNE_DECISION_CONTINUE 0
#define TUNE_DECISION_PAUSE 1 /* checkpoint, free the trial's resources; it may be chosen again */
#define TUNE_DECISION_STOP 2  /* end the trial now (TERMINATED, early stopped) */

/* The table behind TUNE_SCHEDULER_INTERFACE. Owned by the library, static. */
typedef struct tune_scheduler {
    /*
     * [instance-thread] Configures the scheduler once, before any other call. settings_json
     * is a JSON object: {"metric": str, "mode": "min"|"max", "seed": uint,
     * "options": {plugin-specific}}.
     */
    tune_status_t (*setup)(tune_plugin_t *plugin, const char *settings_json, tune_error_t *error);

    /* [instance-thread] A trial was created with config_json (JSON object). */
    tune_status_t (*on_trial_add)(tune_plugin_t *plugin, const char *trial_id,
                                  const char *config_json, tune_error_t *error);

    /*
     * [instance-thread] A running trial reported result_json (JSON object with
     * training_iteration and the metrics). Sets *decision (owned by the host) to a
     * TUNE_DECISION_* constant. May append a JSON object to detail explaining the decision
     * (e.g. {"rung": 4, "cutoff": 0.31}); the host records it in the audit trail.
     */
    tune_status_t (*on_trial_result)(tune_plugin_t *plugin, const char *trial_id,
                                     const char *result_json, tune_decision_t *decision,
                                     const tune_text_out_t *detail, tune_error_t *error);

    /* [instance-thread] The trial failed. */
    tune_status_t (*on_trial_error)(tune_plugin_t *plugin, const char *trial_id,
                                    tune_error_t *error);

    /* [instance-thread] The trial ended normally; result_json is its last result or NULL. */
    tune_status_t (*on_trial_complete)(tune_plugin_t *plugin, const char *trial_id,
                                       const char *result_json, tune_error_t *error);

    /*
     * [instance-thread] Picks the next trial to run among candidates_json, a JSON array of
     * {"trial_id": str, "status": "PENDING"|"PAUSED"}. Appends the chosen trial_id (plain
     * text, not JSON) to chosen, or nothing to run none now.
     */
    tune_status_t (*choose_trial_to_run)(tune_plugin_t *plugin, const char *candidates_json,
                                         const tune_text_out_t *chosen, tune_error_t *error);

    /* [instance-thread] Appends a JSON object describing the scheduler's state, for progress. */
    tune_status_t (*describe_state)(tune_plugin_t *plugin, const tune_text_out_t *state,
                                    tune_error_t *error);

    /* [instance-thread] Appends the scheduler's whole state (any bytes) to state. */
    tune_status_t (*save)(tune_plugin_t *plugin, const tune_text_out_t *state, tune_error_t *error);

    /* [instance-thread] Replaces the state with one produced by save (borrowed), after setup. */
    tune_status_t (*restore)(tune_plugin_t *plugin, const char *state, size_t size,
                             tune_error_t *error);
} tune_scheduler_t;

/*
 * Optional extension, added in ABI 1.1: decision points. A scheduler that answers CONTINUE
 * for stretches of a trial's iterations (FIFO always; ASHA between its rungs) says how far,
 * and the host may then ask a fast trial for several steps at once instead of waiting for a
 * round trip per result. on_trial_result is still called for every result. A scheduler
 * without this interface is taken to decide at every result, as in ABI 1.0.
 */
#define TUNE_SCHEDULER_DECISION_POINTS_INTERFACE "tune.scheduler.decision_points/1"

/* *next for a trial whose every later result the scheduler answers with CONTINUE. */
#define TUNE_NO_DECISION_POINT INT64_MAX

/* The table behind TUNE_SCHEDULER_DECISION_POINTS_INTERFACE. Owned by the library, static. */
typedef struct tune_scheduler_decision_points {
    /*
     * [instance-thread] Called after on_trial_result answered CONTINUE to trial_id's result
     * at training_iteration `iteration`. Sets *next (owned by the host) to the smallest
     * training_iteration after `iteration` whose result the scheduler may answer with anything
     * but CONTINUE: iteration + 1 promises nothing, TUNE_NO_DECISION_POINT promises CONTINUE
     * for the rest of the trial. The host holds the scheduler to it: any other answer to a
     * result before *next is a plugin error that stops the experiment.
     */
    tune_status_t (*next_decision_point)(tune_plugin_t *plugin, const char *trial_id, int64_t iteration,
                                         int64_t *next, tune_error_t *error);
} tune_scheduler_decision_points_t;

/*
 * Optional extension, added in ABI 1.2: actions. What a scheduler does to trials beyond
 * answering the result in hand: stop a waiting trial (HyperBand stops the losers of a rung
 * while they are paused), have a trial checkpointed now, or continue a trial from another
 * trial's checkpoint with a new config (Population Based Training's exploit).
 *
 * The host takes the actions after every call of tune_scheduler_t that may produce some
 * (on_trial_add, on_trial_result, on_trial_error, on_trial_complete, choose_trial_to_run) and
 * applies them at once, in order, before it calls the scheduler again. A scheduler without this
 * interface never acts but through decisions, as in ABI 1.1.
 *
 * take_actions appends a JSON array of action objects (or nothing, for none); the scheduler
 * forgets them once they are taken. Each object has "action" and "trial_id":
 *   {"action": "stop", "trial_id": T, "detail": {...}}
 *       T ends TERMINATED, as if a result of T had been answered TUNE_DECISION_STOP: at once if
 *       it is PENDING or PAUSED (the host then calls on_trial_complete for it), after the result
 *       it has in flight if RUNNING. "detail" (optional) goes to the audit trail.
 *   {"action": "checkpoint", "trial_id": T}
 *       T saves a checkpoint of its latest result: right away if T's result is the one being
 *       answered, else at its next result. A PAUSED trial already has one: nothing to do.
 *   {"action": "exploit", "trial_id": T, "donor_id": D, "config": {...},
 *    "detail": {...}, "log_config": true}
 *       T continues from D's latest checkpoint with "config" (its hyperparameters, replacing
 *       T's). The host ends T's run without a checkpoint (this replaces a CONTINUE or PAUSE
 *       answered to T's result), waits for a checkpoint of D still being written, copies D's
 *       latest checkpoint into T's folder, and makes T PAUSED: choose_trial_to_run then starts
 *       it, and T's training_iteration continues from the checkpoint's. Until then T is not
 *       offered to choose_trial_to_run. If D has no checkpoint by the time D's saves are done,
 *       the exploit is skipped with a warning and T keeps its own config and checkpoints. The
 *       host records the exploit in T's lineage and audit trail, and, unless "log_config" is
 *       false, in pbt_global.txt and pbt_policy_<T>.txt as Ray Tune writes them.
 * An action on a trial that has ended, or an unknown action, is the plugin's error.
 */
#define TUNE_SCHEDULER_ACTIONS_INTERFACE "tune.scheduler.actions/1"

/* The table behind TUNE_SCHEDULER_ACTIONS_INTERFACE. Owned by the library, static. */
typedef struct tune_scheduler_actions {
    /*
     * [instance-thread] Appends the actions the scheduler wants applied now, as one JSON array,
     * to actions (owned by the host, valid during the call), or nothing for none.
     */
    tune_status_t (*take_actions)(tune_plugin_t *plugin, const tune_text_out_t *actions, tune_error_t *error);
} tune_scheduler_actions_t;

#ifdef __cplusplus
}
#endif

#endif /* TUNE_SCHEDULER_H */
