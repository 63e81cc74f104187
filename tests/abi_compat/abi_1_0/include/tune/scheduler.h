/* FROZEN: the tune plugin ABI 1.0 headers exactly as 1.0 plugins were compiled against them
 * (enums included). Never edit: tests/abi_compat builds a 1.0 plugin against these to prove
 * that newer hosts keep loading it. */
/*
 * tune plugin ABI: the trial scheduler interface ("tune.scheduler/1").
 *
 * A scheduler decides, per reported result, whether a trial continues, pauses or stops
 * (early stopping, as ASHA does), and which waiting trial runs next. It runs inside the host
 * on the engine thread: functions are never called concurrently on one instance. Every
 * function returns TUNE_OK or writes *error and returns an error status; after an error the
 * instance stays safe to call. All string arguments are borrowed for the call.
 */
#ifndef TUNE_SCHEDULER_H
#define TUNE_SCHEDULER_H

#include "tune/entry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TUNE_SCHEDULER_INTERFACE "tune.scheduler/1"

typedef enum tune_decision {
    TUNE_DECISION_CONTINUE = 0,
    TUNE_DECISION_PAUSE = 1, /* checkpoint and free the trial's resources; it may be chosen again */
    TUNE_DECISION_STOP = 2   /* end the trial now (TERMINATED, early stopped) */
} tune_decision_t;

/* The table behind TUNE_SCHEDULER_INTERFACE. Owned by the library, static. */
typedef struct tune_scheduler {
    /*
     * Configures the scheduler once, before any other call. settings_json is a JSON object:
     * {"metric": str, "mode": "min"|"max", "seed": uint, "options": {plugin-specific}}.
     */
    tune_status_t (*setup)(tune_plugin_t *plugin, const char *settings_json, tune_error_t *error);

    /* A trial was created with config_json (JSON object). */
    tune_status_t (*on_trial_add)(tune_plugin_t *plugin, const char *trial_id,
                                  const char *config_json, tune_error_t *error);

    /*
     * A running trial reported result_json (JSON object with training_iteration and the
     * metrics). Sets *decision. May append a JSON object to detail explaining the decision
     * (e.g. {"rung": 4, "cutoff": 0.31}); the host records it in the audit trail.
     */
    tune_status_t (*on_trial_result)(tune_plugin_t *plugin, const char *trial_id,
                                     const char *result_json, tune_decision_t *decision,
                                     const tune_text_out_t *detail, tune_error_t *error);

    /* The trial failed. */
    tune_status_t (*on_trial_error)(tune_plugin_t *plugin, const char *trial_id,
                                    tune_error_t *error);

    /* The trial ended normally; result_json is its last result or NULL. */
    tune_status_t (*on_trial_complete)(tune_plugin_t *plugin, const char *trial_id,
                                       const char *result_json, tune_error_t *error);

    /*
     * Picks the next trial to run among candidates_json, a JSON array of
     * {"trial_id": str, "status": "PENDING"|"PAUSED"}. Appends the chosen trial_id (plain
     * text, not JSON) to chosen, or nothing to run none now.
     */
    tune_status_t (*choose_trial_to_run)(tune_plugin_t *plugin, const char *candidates_json,
                                         const tune_text_out_t *chosen, tune_error_t *error);

    /* Appends a JSON object describing the scheduler's state for progress displays. */
    tune_status_t (*describe_state)(tune_plugin_t *plugin, const tune_text_out_t *state,
                                    tune_error_t *error);

    /* Appends the scheduler's whole state (any bytes) to state. */
    tune_status_t (*save)(tune_plugin_t *plugin, const tune_text_out_t *state, tune_error_t *error);

    /* Replaces the state with one produced by save, after setup. */
    tune_status_t (*restore)(tune_plugin_t *plugin, const char *state, size_t size,
                             tune_error_t *error);
} tune_scheduler_t;

#ifdef __cplusplus
}
#endif

#endif /* TUNE_SCHEDULER_H */
