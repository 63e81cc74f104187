/*
 * Compiled as strict C99 (-std=c99 -Wall -Wextra -pedantic-errors -Werror): the ABI headers
 * and the C helper tune/result_writer.h are pure C.
 */
#include "tune/result_writer.h"
#include "tune/tune.h"

typedef char tune_abi_major_is_one[TUNE_ABI_VERSION_MAJOR == 1 ? 1 : -1];
typedef char tune_status_ok_is_zero[TUNE_OK == 0 ? 1 : -1];
typedef char tune_abi_version_is_first[offsetof(tune_plugin_entry_t, abi_version) == 0 ? 1 : -1];
/* The value types keep ABI 1.0's 4 bytes. */
typedef char tune_value_types_are_4_bytes[sizeof(tune_status_t) == 4 && sizeof(tune_plugin_kind_t) == 4 &&
                                                  sizeof(tune_decision_t) == 4 && sizeof(tune_suggest_outcome_t) == 4 &&
                                                  sizeof(tune_log_level_t) == 4 && sizeof(tune_mode_t) == 4 &&
                                                  sizeof(tune_config_presence_t) == 4
                                              ? 1
                                              : -1];
/* The 1.0 sizes are constant expressions, and today's structs are at least that big. */
typedef char tune_1_0_sizes_are_constants[TUNE_PLUGIN_ENTRY_SIZE_1_0 <= sizeof(tune_plugin_entry_t) &&
                                                  TUNE_PLUGIN_DESCRIPTOR_SIZE_1_0 < TUNE_PLUGIN_DESCRIPTOR_SIZE_1_6 &&
                                                  TUNE_PLUGIN_DESCRIPTOR_SIZE_1_6 <= sizeof(tune_plugin_descriptor_t) &&
                                                  TUNE_PLUGIN_SIZE_1_0 <= sizeof(tune_plugin_t) &&
                                                  TUNE_HOST_SIZE_1_0 < TUNE_HOST_SIZE_1_5 &&
                                                  TUNE_HOST_SIZE_1_5 <= sizeof(tune_host_t) &&
                                                  TUNE_TRIAL_CONTEXT_SIZE_1_0 <= sizeof(tune_trial_context_t)
                                              ? 1
                                              : -1];

int tune_abi_c99_check(const tune_trial_context_t *context);
int tune_abi_c99_check(const tune_trial_context_t *context) {
    tune_plugin_entry_t entry;
    entry.abi_version.major = TUNE_ABI_VERSION_MAJOR;
    return (int)entry.abi_version.major + (TUNE_STRUCT_HAS_FIELD(context, tune_trial_context_t, seed) ? 1 : 0);
}

/* The typed config reads (ABI 1.5) and the result writer, as a C trainable's step uses them. */
int tune_result_writer_c99_check(const tune_host_t *host, const char *config, const tune_text_out_t *out);
int tune_result_writer_c99_check(const tune_host_t *host, const char *config, const tune_text_out_t *out) {
    double lr = 0.1;
    tune_error_t error;
    tune_result_writer_t r = tune_result_begin(out);
    if (TUNE_STRUCT_HAS_FIELD(host, tune_host_t, config_number) &&
        host->config_number(host, config, "optimizer.lr", TUNE_CONFIG_OPTIONAL, 0.1, &lr, &error) != TUNE_OK)
        return 1;
    tune_result_number(&r, "lr", lr);
    tune_result_integer(&r, "iteration", 3);
    tune_result_bool(&r, "done", 0);
    tune_result_string(&r, "note", "a \"quoted\" word");
    tune_result_end(&r);
    return 0;
}

/* Reading more of a config in setup, as docs/writing-a-trainable.md shows it (an excerpt that
 * the docs test finds here): a required integer and a nested optional number. */
typedef struct more_config {
    const tune_host_t *host;
    int64_t batch_size;
    double lr;
} more_config_t;

tune_status_t tune_more_config_c99_check(more_config_t *q, const char *config_json, tune_error_t *error);
tune_status_t tune_more_config_c99_check(more_config_t *q, const char *config_json, tune_error_t *error) {
    tune_status_t status = q->host->config_integer(q->host, config_json, "batch_size", TUNE_CONFIG_REQUIRED, 0,
                                                   &q->batch_size, error);
    if (status == TUNE_OK)
        status = q->host->config_number(q->host, config_json, "optimizer.lr", TUNE_CONFIG_OPTIONAL, 0.01,
                                        &q->lr, error);
    return status;
}
