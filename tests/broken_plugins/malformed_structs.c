/*
 * A plugin that gets one integer of its structs wrong, chosen at build time by MALFORMED:
 *   1 (undersized_entry)      the entry's struct_size is below ABI 1.0's,
 *   2 (undersized_descriptor) the descriptor's struct_size is below ABI 1.0's,
 *   3 (undersized_instance)   the instance's struct_size is below ABI 1.0's,
 *   4 (unknown_kind)          the descriptor's kind is 7, no TUNE_KIND_*,
 *   5 (unknown_status)        create returns status 42, no tune_status_t constant.
 * The host must refuse each with a message naming the file, the struct or call, and the values.
 */
#include <string.h>

#include "tune/tune.h"

/* One pointer short of the 1.0 size: the struct's last 1.0 field is missing. */
#define STRUCT_SIZE(which, type, size_1_0) \
    ((uint32_t)(MALFORMED == (which) ? (size_1_0) - sizeof(void *) : sizeof(type)))

static const tune_plugin_descriptor_t descriptor = {
    STRUCT_SIZE(2, tune_plugin_descriptor_t, TUNE_PLUGIN_DESCRIPTOR_SIZE_1_0), "org.tune.test.malformed",
    MALFORMED == 4 ? 7 : TUNE_KIND_TRAINABLE, "0.0.1", "Gets one struct of the ABI wrong", NULL};

static const void *get_interface(const tune_plugin_t *p, const char *id) {
    (void)p;
    (void)id;
    return NULL;
}

/* Static, so that an instance the host refuses (and so never destroys) leaks nothing. */
static void destroy(tune_plugin_t *p) { (void)p; }
static tune_plugin_t instance = {STRUCT_SIZE(3, tune_plugin_t, TUNE_PLUGIN_SIZE_1_0), &descriptor, NULL, destroy,
                                 get_interface};

static uint32_t count(void) { return 1; }
static const tune_plugin_descriptor_t *describe(uint32_t i) { return i == 0 ? &descriptor : NULL; }

static tune_status_t create(const tune_host_t *host, const char *id, tune_plugin_t **out, tune_error_t *e) {
    (void)host;
    if (!id || strcmp(id, descriptor.id) != 0) {
        strcpy(e->message, "unknown plugin id");
        return TUNE_ERROR_INVALID_ARGUMENT;
    }
    if (MALFORMED == 5) {
        strcpy(e->message, "status 42 on purpose");
        return 42;
    }
    *out = &instance;
    return TUNE_OK;
}

TUNE_EXPORT const tune_plugin_entry_t tune_plugin_entry = {
    TUNE_ABI_VERSION_INIT, STRUCT_SIZE(1, tune_plugin_entry_t, TUNE_PLUGIN_ENTRY_SIZE_1_0), NULL, NULL, count,
    describe, create};
