/* FROZEN: the tune plugin ABI 1.0 headers exactly as 1.0 plugins were compiled against them
 * (enums included). Never edit: tests/abi_compat builds a 1.0 plugin against these to prove
 * that newer hosts keep loading it. */
/*
 * tune plugin ABI: the searcher interface ("tune.searcher/1").
 *
 * A searcher proposes trial configs. It runs inside the host (control plane), on the host's
 * engine thread: functions are never called concurrently on one instance. Every function
 * returns TUNE_OK or writes *error and returns an error status; after an error the instance
 * stays safe to call.
 */
#ifndef TUNE_SEARCHER_H
#define TUNE_SEARCHER_H

#include "tune/entry.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TUNE_SEARCHER_INTERFACE "tune.searcher/1"

/* What suggest produced. */
typedef enum tune_suggest_outcome {
    TUNE_SUGGEST_CONFIG = 0,    /* a config was appended to the output */
    TUNE_SUGGEST_NOT_READY = 1, /* nothing now; ask again after more results arrive */
    TUNE_SUGGEST_FINISHED = 2   /* the searcher will never suggest again */
} tune_suggest_outcome_t;

/* The table behind TUNE_SEARCHER_INTERFACE. Owned by the library, static. */
typedef struct tune_searcher {
    /*
     * Configures the searcher once, before any other call. settings_json (borrowed) is a JSON
     * object: {"metric": str, "mode": "min"|"max", "seed": uint, "num_samples": int,
     * "space": <search space, see docs/search-space.md>, "options": {plugin-specific}}.
     */
    tune_status_t (*setup)(tune_plugin_t *plugin, const char *settings_json, tune_error_t *error);

    /*
     * Proposes the config of trial trial_id (borrowed). Sets *outcome; on TUNE_SUGGEST_CONFIG
     * appends the config as a JSON object to config.
     */
    tune_status_t (*suggest)(tune_plugin_t *plugin, const char *trial_id,
                             const tune_text_out_t *config, tune_suggest_outcome_t *outcome,
                             tune_error_t *error);

    /* An intermediate result (JSON object, borrowed) of a trial this searcher suggested. */
    tune_status_t (*on_result)(tune_plugin_t *plugin, const char *trial_id,
                               const char *result_json, tune_error_t *error);

    /*
     * The trial ended. result_json is its last result or NULL if it reported none; failed is
     * non-zero if it ended in error.
     */
    tune_status_t (*on_complete)(tune_plugin_t *plugin, const char *trial_id,
                                 const char *result_json, int failed, tune_error_t *error);

    /* Appends the searcher's whole state (any bytes) to state, for restore after a crash. */
    tune_status_t (*save)(tune_plugin_t *plugin, const tune_text_out_t *state, tune_error_t *error);

    /* Replaces the state with one produced by save (state is borrowed, size bytes), after setup. */
    tune_status_t (*restore)(tune_plugin_t *plugin, const char *state, size_t size,
                             tune_error_t *error);
} tune_searcher_t;

#ifdef __cplusplus
}
#endif

#endif /* TUNE_SEARCHER_H */
