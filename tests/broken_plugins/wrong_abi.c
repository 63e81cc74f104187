/* A plugin built for a future ABI major version: the host must refuse it before using it. */
#include "tune/tune.h"

static uint32_t plugin_count(void) { return 0; }
static const tune_plugin_descriptor_t *plugin_descriptor(uint32_t index) { (void)index; return 0; }
static tune_status_t create(const tune_host_t *host, const char *id, tune_plugin_t **out, tune_error_t *error) {
    (void)host; (void)id; (void)out; (void)error;
    return TUNE_ERROR_INTERNAL;
}

TUNE_EXPORT const tune_plugin_entry_t tune_plugin_entry = {
    {999, 3, 0}, sizeof(tune_plugin_entry_t), 0, 0, plugin_count, plugin_descriptor, create};
