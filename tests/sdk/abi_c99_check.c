/* Compiled as strict C99 (-std=c99 -pedantic-errors -Werror): the ABI headers are pure C. */
#include "tune/tune.h"

typedef char tune_abi_major_is_one[TUNE_ABI_VERSION_MAJOR == 1 ? 1 : -1];
typedef char tune_status_ok_is_zero[TUNE_OK == 0 ? 1 : -1];
typedef char tune_abi_version_is_first[offsetof(tune_plugin_entry_t, abi_version) == 0 ? 1 : -1];

int tune_abi_c99_check(void);
int tune_abi_c99_check(void) {
    tune_plugin_entry_t entry;
    entry.abi_version.major = TUNE_ABI_VERSION_MAJOR;
    return (int)entry.abi_version.major;
}
