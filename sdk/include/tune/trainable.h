/*
 * tune plugin ABI: the trainable interface ("tune.trainable/1") and its extensions.
 *
 * A trainable runs one trial at a time inside a worker process: setup(config), then step()
 * repeatedly, each step returning one result as a JSON object. The host checkpoints with
 * save(dir) and resumes with restore(dir). reset(config) lets the host reuse an instance for
 * the next trial instead of destroying and creating it.
 *
 * Every function takes the instance first, is [instance-thread], and returns TUNE_OK or
 * writes *error and returns an error status. After an error the instance stays safe to call
 * (at least destroy). Strings passed in are borrowed for the call; output sinks are valid
 * only during it.
 */
#ifndef TUNE_TRAINABLE_H
#define TUNE_TRAINABLE_H

#include "tune/entry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TUNE_TRAINABLE_INTERFACE "tune.trainable/1"
#define TUNE_TRAINABLE_EVALUATE_INTERFACE "tune.trainable.evaluate/1"
#define TUNE_TRAINABLE_END_TRIAL_INTERFACE "tune.trainable.end_trial/1" /* ABI 1.3 */
#define TUNE_TRAINABLE_UPDATE_CONTEXT_INTERFACE "tune.trainable.update_context/1" /* ABI 1.4 */

/*
 * What the host tells a trainable about the trial it runs. Owned by the host; valid only for
 * the duration of the call it is passed to (copy what you keep). Fields are only appended
 * (the growth rule in tune/entry.h): read a field added after 1.0 only if
 * TUNE_STRUCT_HAS_FIELD(context, tune_trial_context_t, field).
 */
typedef struct tune_trial_context {
    uint32_t struct_size;  /* sizeof(tune_trial_context_t) as the host compiled it */
    const char *trial_id;  /* e.g. "00003"; unique in the experiment */
    const char *trial_dir; /* the trial's own folder, existing and writable */
    uint32_t num_cpus;     /* CPUs reserved for the trial: use this many intra-op threads */
    double num_gpus;       /* GPUs reserved (may be fractional); CUDA_VISIBLE_DEVICES is set */
    uint64_t seed;         /* per-trial seed derived from the experiment seed */
} tune_trial_context_t;

/* The table behind TUNE_TRAINABLE_INTERFACE. Owned by the library, static. */
typedef struct tune_trainable {
    /*
     * [instance-thread] Prepares a trial. config_json is a NUL-terminated JSON object (the
     * trial's hyperparameters merged with the experiment's constants), borrowed for the call,
     * as is context. Returns TUNE_ERROR_INVALID_CONFIG with a message naming the key for a
     * bad config.
     */
    tune_status_t (*setup)(tune_plugin_t *plugin, const char *config_json,
                           const tune_trial_context_t *context, tune_error_t *error);

    /*
     * [instance-thread] Runs one unit of training (an epoch, say) and appends one JSON object
     * to result: the metrics of this step, e.g. {"loss":0.31,"accuracy":0.9}. Setting
     * "done": true ends the trial. The host adds training_iteration, time_total_s and
     * timestamps itself.
     */
    tune_status_t (*step)(tune_plugin_t *plugin, const tune_text_out_t *result,
                          tune_error_t *error);

    /*
     * [instance-thread] Writes a checkpoint of everything needed to continue exactly
     * (weights, optimizer state, iteration, random state) into checkpoint_dir (borrowed), an
     * existing empty folder owned by the host.
     */
    tune_status_t (*save)(tune_plugin_t *plugin, const char *checkpoint_dir, tune_error_t *error);

    /*
     * [instance-thread] Loads a checkpoint written by save (checkpoint_dir, borrowed, is
     * owned by the host and read-only to the plugin), after setup with the same config.
     */
    tune_status_t (*restore)(tune_plugin_t *plugin, const char *checkpoint_dir,
                             tune_error_t *error);

    /*
     * [instance-thread] Reuses the instance for a new trial, as if it were freshly created
     * and set up with config_json and context (both borrowed). Returns
     * TUNE_ERROR_NOT_SUPPORTED if the instance cannot be reused; the host then destroys it
     * and creates a new one.
     */
    tune_status_t (*reset)(tune_plugin_t *plugin, const char *config_json,
                           const tune_trial_context_t *context, tune_error_t *error);
} tune_trainable_t;

/*
 * Optional extension TUNE_TRAINABLE_EVALUATE_INTERFACE: scores a checkpoint on held-out data
 * (the test set) and appends a JSON object of metrics to result, e.g. {"test_accuracy":0.61}.
 * Called on an instance that was set up with the checkpoint's trial config.
 */
typedef struct tune_trainable_evaluate {
    /* [instance-thread] checkpoint_dir is borrowed for the call, and owned by the host. */
    tune_status_t (*evaluate)(tune_plugin_t *plugin, const char *checkpoint_dir,
                              const tune_text_out_t *result, tune_error_t *error);
} tune_trainable_evaluate_t;

/*
 * Optional extension TUNE_TRAINABLE_END_TRIAL_INTERFACE (ABI 1.3): the trial this instance
 * runs has ended. It finished, failed, or was stopped or paused; the host will not call step,
 * save or evaluate for it again. A worker keeps an idle instance for the next trial (reset),
 * possibly for a long time: a trainable that runs something between calls (a child process, a
 * training thread, an open connection) ends it here rather than in reset or destroy. Without
 * the extension the host goes on as if it were a no-op. Next the instance sees reset, setup
 * (then perhaps restore) for another run, or destroy.
 */
typedef struct tune_trainable_end_trial {
    /* [instance-thread] An error is logged by the worker; the trial has ended either way. */
    tune_status_t (*end_trial)(tune_plugin_t *plugin, tune_error_t *error);
} tune_trainable_end_trial_t;

/*
 * Optional extension TUNE_TRAINABLE_UPDATE_CONTEXT_INTERFACE (ABI 1.4): the CPUs of a running
 * trial changed. With [experiment] lend_spare_cpus, the host lends the CPUs that no trial
 * holds (when fewer trials run than the CPUs allow, as at the end of an ASHA run) to the
 * running trials, and takes them back when a new trial needs them. context is the trial's
 * context as at setup except num_cpus, its new intra-op thread count (at least 1). Called
 * between two calls of a set-up trial (after setup, restore or a step; before the next step),
 * never during one. Return TUNE_ERROR_NOT_SUPPORTED to keep the count the trial was set up
 * with, as a trainable without the extension does. Any other error is logged by the worker
 * and the trial goes on; the host never fails a trial for it.
 */
typedef struct tune_trainable_update_context {
    /* [instance-thread] context is borrowed for the call. */
    tune_status_t (*update_context)(tune_plugin_t *plugin, const tune_trial_context_t *context,
                                    tune_error_t *error);
} tune_trainable_update_context_t;

#ifdef __cplusplus
}
#endif

#endif /* TUNE_TRAINABLE_H */
