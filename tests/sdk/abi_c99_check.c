/* Compiled as strict C99 (-std=c99 -pedantic-errors -Werror): the ABI headers are pure C. */
#include "tune/tune.h"

typedef char tune_abi_major_is_one[TUNE_ABI_VERSION_MAJOR == 1 ? 1 : -1];
typedef char tune_status_ok_is_zero[TUNE_OK == 0 ? 1 : -1];
typedef char tune_abi_version_is_first[offsetof(tune_plugin_entry_t, abi_version) == 0 ? 1 : -1];
/* The value types keep ABI 1.0's 4 bytes. */
typedef char tune_value_types_are_4_bytes[sizeof(tune_status_t) == 4 && sizeof(tune_plugin_kind_t) == 4 &&
                                                  sizeof(tune_decision_t) == 4 && sizeof(tune_suggest_outcome_t) == 4 &&
                                                  sizeof(tune_log_level_t) == 4 && sizeof(tune_mode_t) == 4
                                              ? 1
                                              : -1];
/* The 1.0 sizes are constant expressions, and today's structs are at least that big. */
typedef char tune_1_0_sizes_are_constants[TUNE_PLUGIN_ENTRY_SIZE_1_0 <= sizeof(tune_plugin_entry_t) &&
                                                  TUNE_PLUGIN_DESCRIPTOR_SIZE_1_0 <= sizeof(tune_plugin_descriptor_t) &&
                                                  TUNE_PLUGIN_SIZE_1_0 <= sizeof(tune_plugin_t) &&
                                                  TUNE_HOST_SIZE_1_0 <= sizeof(tune_host_t) &&
                                                  TUNE_TRIAL_CONTEXT_SIZE_1_0 <= sizeof(tune_trial_context_t)
                                              ? 1
                                              : -1];

int tune_abi_c99_check(const tune_trial_context_t *context);
int tune_abi_c99_check(const tune_trial_context_t *context) {
    tune_plugin_entry_t entry;
    entry.abi_version.major = TUNE_ABI_VERSION_MAJOR;
    return (int)entry.abi_version.major + (TUNE_STRUCT_HAS_FIELD(context, tune_trial_context_t, seed) ? 1 : 0);
}
