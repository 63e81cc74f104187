/* Compiled against the frozen ABI 1.0 headers only, so these are 1.0's sizes. */
#include "abi_1_0_sizes.h"

#include "tune/tune.h"

const abi_1_0_sizes_t abi_1_0_sizes = {sizeof(tune_plugin_entry_t), sizeof(tune_plugin_descriptor_t),
                                       sizeof(tune_plugin_t), sizeof(tune_host_t), sizeof(tune_trial_context_t)};
