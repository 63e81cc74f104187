/* sizeof each struct that carries struct_size, as the frozen ABI 1.0 headers lay it out. */
#ifndef TUNE_TEST_ABI_1_0_SIZES_H
#define TUNE_TEST_ABI_1_0_SIZES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct abi_1_0_sizes {
    size_t entry, descriptor, plugin, host, trial_context;
} abi_1_0_sizes_t;

/* Defined in abi_1_0_sizes.c, which sees only the frozen headers. */
extern const abi_1_0_sizes_t abi_1_0_sizes;

#ifdef __cplusplus
}
#endif

#endif
