/*
 * tune plugin ABI: common types shared by every plugin kind.
 *
 * Pure C99. Only C types cross the plugin boundary: no C++ objects, no exceptions, and no
 * memory is ever freed on the side that did not allocate it. Variable-size output is written
 * through a tune_text_out_t sink that the caller owns.
 *
 * No enum type crosses the boundary either (as in CLAP): each value set is a fixed-width
 * integer typedef (int32_t) with named constants. An enum's size is the compiler's choice,
 * and in C++ loading a value outside an enum's constants is undefined, yet the other side may
 * write any integer. The constants are #defines of plain integers, so that each has the
 * typedef's type (int) in C and C++ alike: `auto d = TUNE_DECISION_STOP;` declares a
 * tune_decision_t, as it did when these were enums. A reader checks a value before relying
 * on it (docs/plugin-abi.md says what the host does with one it does not know). Values are
 * never renumbered; a minor version only appends new ones.
 *
 * Thread notes on each function, as in CLAP:
 *   [main-thread]     the host's main thread, never concurrently with another such call;
 *   [instance-thread] one thread at a time per instance, not always the same thread;
 *   [any-thread]      any thread, concurrently;
 *   [calling-thread]  only during the call it was passed to, on that call's thread.
 */
#ifndef TUNE_TYPES_H
#define TUNE_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Visibility of the one symbol a plugin library exports. Everything else stays hidden. */
#if defined(_WIN32)
#define TUNE_EXPORT __declspec(dllexport)
#else
#define TUNE_EXPORT __attribute__((visibility("default")))
#endif

/* Result of every fallible ABI call: TUNE_OK or one of the TUNE_ERROR_* constants. */
typedef int32_t tune_status_t;
#define TUNE_OK 0
#define TUNE_ERROR_INVALID_ARGUMENT 1 /* a NULL pointer, unknown id, malformed JSON */
#define TUNE_ERROR_INVALID_CONFIG 2   /* well-formed JSON with a missing key, wrong type or bad value */
#define TUNE_ERROR_NOT_SUPPORTED 3    /* optional operation the plugin does not implement */
#define TUNE_ERROR_IO 4               /* reading or writing a file or checkpoint failed */
#define TUNE_ERROR_STATE 5            /* called in the wrong order (e.g. step before setup) */
#define TUNE_ERROR_INTERNAL 6         /* anything else, including a caught C++ exception */

/* Capacity of tune_error_t.message, including the terminating NUL. */
#define TUNE_ERROR_MESSAGE_CAPACITY 1024

/*
 * Error details, owned by the caller (usually on its stack) and passed to every fallible call.
 * On failure the callee writes a NUL-terminated UTF-8 message, truncated to fit. On success
 * the callee leaves it untouched. The callee never keeps the pointer after it returns.
 */
typedef struct tune_error {
    char message[TUNE_ERROR_MESSAGE_CAPACITY];
} tune_error_t;

/*
 * An output sink for variable-size text or bytes (JSON results, serialized state).
 * The caller owns the sink and everything behind ctx; it is valid only for the duration of
 * the call it is passed to. The callee may call append any number of times; the pieces are
 * concatenated. data need not be NUL-terminated.
 */
typedef struct tune_text_out {
    void *ctx;
    /* [calling-thread] Appends size bytes of data (borrowed for the call). */
    void (*append)(void *ctx, const char *data, size_t size);
} tune_text_out_t;

/* Optimisation direction of a metric: TUNE_MODE_MIN or TUNE_MODE_MAX. */
typedef int32_t tune_mode_t;
#define TUNE_MODE_MIN 0
#define TUNE_MODE_MAX 1

/* Severity for tune_host_t.log: one of the TUNE_LOG_* constants. */
typedef int32_t tune_log_level_t;
#define TUNE_LOG_DEBUG 0
#define TUNE_LOG_INFO 1
#define TUNE_LOG_WARNING 2
#define TUNE_LOG_ERROR 3 /* and any value the host does not know */

/* Whether a typed config read (tune_host_t.config_number, ...) needs its key: one of these. */
typedef int32_t tune_config_presence_t;
#define TUNE_CONFIG_OPTIONAL 0 /* an absent key yields the default, as tune::get_or does */
#define TUNE_CONFIG_REQUIRED 1 /* an absent key is TUNE_ERROR_INVALID_CONFIG, as tune::require */

/*
 * Services the host offers a plugin instance. The host owns it; it stays valid until the
 * instance it was given to is destroyed. Fields are only ever appended (the growth rule in
 * tune/entry.h): read a field added after 1.0 only if TUNE_STRUCT_HAS_FIELD says the host's
 * struct_size covers it.
 */
typedef struct tune_host {
    uint32_t struct_size; /* sizeof(tune_host_t) as the host compiled it */
    void *host_data;      /* opaque to the plugin */
    const char *name;     /* e.g. "tune"; NUL-terminated, lives as long as the struct */
    const char *version;  /* the host's version, e.g. "0.1.0" */
    /* [any-thread] Logs one message (borrowed for the call). */
    void (*log)(const struct tune_host *host, tune_log_level_t level, const char *message);

    /*
     * ABI 1.5: typed reads of a config, so that a C plugin needs no JSON parser. Check
     * TUNE_STRUCT_HAS_FIELD(host, tune_host_t, config_number) before calling any of them: an
     * older host's struct ends before them.
     *
     * Each reads the value at key_path in config_json, a NUL-terminated JSON object (the text
     * setup or reset received). key_path is a key ("lr") or keys of nested objects joined by
     * '.' ("optimizer.lr"); a key that itself holds a '.' cannot be named. presence is a
     * TUNE_CONFIG_* constant. Both strings are borrowed for the call; nothing is kept.
     *  - present with the right type: stores it in *out and returns TUNE_OK;
     *  - absent (the key, or an object on its path) and TUNE_CONFIG_OPTIONAL: stores
     *    default_value in *out and returns TUNE_OK;
     *  - absent and TUNE_CONFIG_REQUIRED: TUNE_ERROR_INVALID_CONFIG: config key 'optimizer.lr'
     *    is missing; expected a number;
     *  - present with another type (an object on the path included), optional or not:
     *    TUNE_ERROR_INVALID_CONFIG: config key 'lr' must be a number, got string "fast";
     *  - config_json not a JSON object: TUNE_ERROR_INVALID_CONFIG; not JSON at all, or a NULL
     *    or empty argument: TUNE_ERROR_INVALID_ARGUMENT.
     * The messages are those of the C++ helpers tune::require and tune::get_or. On failure
     * *out is untouched and the message is written to *error (which may be NULL); on success
     * *error is untouched. Each call parses config_json anew: read the keys once, in setup.
     */

    /* [any-thread] A number (a JSON integer or floating-point value). */
    tune_status_t (*config_number)(const struct tune_host *host, const char *config_json, const char *key_path,
                                   tune_config_presence_t presence, double default_value, double *out,
                                   tune_error_t *error);
    /* [any-thread] A JSON integer that fits in int64_t (2.5 and 1e3 are not integers). */
    tune_status_t (*config_integer)(const struct tune_host *host, const char *config_json, const char *key_path,
                                    tune_config_presence_t presence, int64_t default_value, int64_t *out,
                                    tune_error_t *error);
    /*
     * [any-thread] A string, copied NUL-terminated into the caller's buffer of capacity bytes
     * (the caller owns it). default_value may be NULL for "". A config string that does not
     * fit, or holds a NUL character, is TUNE_ERROR_INVALID_CONFIG naming the key; a default
     * that does not fit, TUNE_ERROR_INVALID_ARGUMENT. On failure the buffer is untouched.
     */
    tune_status_t (*config_string)(const struct tune_host *host, const char *config_json, const char *key_path,
                                   tune_config_presence_t presence, const char *default_value, char *buffer,
                                   size_t capacity, tune_error_t *error);
    /* [any-thread] A JSON true or false, stored as 1 or 0 (default_value: any non-zero is 1). */
    tune_status_t (*config_bool)(const struct tune_host *host, const char *config_json, const char *key_path,
                                 tune_config_presence_t presence, int32_t default_value, int32_t *out,
                                 tune_error_t *error);
} tune_host_t;

#ifdef __cplusplus
}
#endif

#endif /* TUNE_TYPES_H */
