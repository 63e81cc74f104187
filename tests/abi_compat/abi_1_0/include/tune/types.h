/* FROZEN: the tune plugin ABI 1.0 headers exactly as 1.0 plugins were compiled against them
 * (enums included). Never edit: tests/abi_compat builds a 1.0 plugin against these to prove
 * that newer hosts keep loading it. */
/*
 * tune plugin ABI: common types shared by every plugin kind.
 *
 * Pure C99. Only C types cross the plugin boundary: no C++ objects, no exceptions, and no
 * memory is ever freed on the side that did not allocate it. Variable-size output is written
 * through a tune_text_out_t sink that the caller owns.
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

/* Result of every fallible ABI call. Values are stable; new codes are only ever appended. */
typedef enum tune_status {
    TUNE_OK = 0,
    TUNE_ERROR_INVALID_ARGUMENT = 1, /* a NULL pointer, unknown id, malformed JSON */
    TUNE_ERROR_INVALID_CONFIG = 2,   /* well-formed JSON with a missing key, wrong type or bad value */
    TUNE_ERROR_NOT_SUPPORTED = 3,    /* optional operation the plugin does not implement */
    TUNE_ERROR_IO = 4,               /* reading or writing a file or checkpoint failed */
    TUNE_ERROR_STATE = 5,            /* called in the wrong order (e.g. step before setup) */
    TUNE_ERROR_INTERNAL = 6          /* anything else, including a caught C++ exception */
} tune_status_t;

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
 * the call it is passed to. The callee may call append any number of times, on the calling
 * thread only; the pieces are concatenated. data need not be NUL-terminated.
 */
typedef struct tune_text_out {
    void *ctx;
    void (*append)(void *ctx, const char *data, size_t size);
} tune_text_out_t;

/* Optimisation direction of a metric. */
typedef enum tune_mode { TUNE_MODE_MIN = 0, TUNE_MODE_MAX = 1 } tune_mode_t;

/* Severity for tune_host_t.log. */
typedef enum tune_log_level {
    TUNE_LOG_DEBUG = 0,
    TUNE_LOG_INFO = 1,
    TUNE_LOG_WARNING = 2,
    TUNE_LOG_ERROR = 3
} tune_log_level_t;

/*
 * Services the host offers a plugin instance. The host owns it; it stays valid until the
 * instance it was given to is destroyed. Fields are only ever appended: check struct_size
 * before using a field added after version 1.0.
 */
typedef struct tune_host {
    uint32_t struct_size; /* sizeof(tune_host_t) as the host compiled it */
    void *host_data;      /* opaque to the plugin */
    const char *name;     /* e.g. "tune"; NUL-terminated, lives as long as the struct */
    const char *version;  /* the host's version, e.g. "0.1.0" */
    /* Logs one message. message is borrowed for the call. Thread-safe: any thread may call. */
    void (*log)(const struct tune_host *host, tune_log_level_t level, const char *message);
} tune_host_t;

#ifdef __cplusplus
}
#endif

#endif /* TUNE_TYPES_H */
