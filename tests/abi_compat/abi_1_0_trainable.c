/*
 * A plain-C trainable compiled against the frozen ABI 1.0 headers only (abi_1_0/include), as
 * every plugin built before the ABI grew was. Its results echo what it read from the host's
 * structs, so the tests see that it read the 1.0 fields of a host that may be newer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tune/tune.h"

/* Only the 1.0 headers declare the enum types: this line does not compile against newer ones. */
typedef char built_against_the_1_0_headers[sizeof(enum tune_status) == 4 ? 1 : -1];

typedef struct trial {
    const tune_host_t *host;
    long iteration;
    char trial_id[64];
    uint32_t num_cpus;
    uint64_t seed;
    uint32_t context_struct_size;
} trial_t;

static void set_error(tune_error_t *error, const char *message) {
    if (error) snprintf(error->message, sizeof error->message, "%s", message);
}

static trial_t *trial_of(tune_plugin_t *plugin) { return (trial_t *)plugin->plugin_data; }

static tune_status_t setup(tune_plugin_t *p, const char *config, const tune_trial_context_t *c, tune_error_t *e) {
    trial_t *t = trial_of(p);
    char line[128];
    if (!config || !c) {
        set_error(e, "config or context is NULL");
        return TUNE_ERROR_INVALID_ARGUMENT;
    }
    t->iteration = 0;
    snprintf(t->trial_id, sizeof t->trial_id, "%s", c->trial_id ? c->trial_id : "");
    t->num_cpus = c->num_cpus;
    t->seed = c->seed;
    t->context_struct_size = c->struct_size;
    snprintf(line, sizeof line, "1.0 plugin set up trial %s", t->trial_id);
    if (t->host && t->host->log) t->host->log(t->host, TUNE_LOG_INFO, line);
    return TUNE_OK;
}

static tune_status_t step(tune_plugin_t *p, const tune_text_out_t *out, tune_error_t *e) {
    trial_t *t = trial_of(p);
    char text[512];
    int n;
    (void)e;
    ++t->iteration;
    n = snprintf(text, sizeof text,
                 "{\"loss\": %.17g, \"trial\": \"%s\", \"num_cpus\": %u, \"seed\": %llu, "
                 "\"context_struct_size\": %u, \"host_struct_size\": %u}",
                 1.0 / (double)t->iteration, t->trial_id, (unsigned)t->num_cpus, (unsigned long long)t->seed,
                 (unsigned)t->context_struct_size, t->host ? (unsigned)t->host->struct_size : 0u);
    out->append(out->ctx, text, (size_t)n);
    return TUNE_OK;
}

/* The checkpoint: one file holding the iteration. */
static FILE *open_checkpoint(const char *dir, const char *mode, tune_error_t *e) {
    char path[4096];
    FILE *file;
    snprintf(path, sizeof path, "%s/iteration", dir ? dir : "");
    file = fopen(path, mode);
    if (!file) set_error(e, "cannot open the checkpoint's file 'iteration'");
    return file;
}

static tune_status_t save(tune_plugin_t *p, const char *dir, tune_error_t *e) {
    FILE *file = open_checkpoint(dir, "w", e);
    if (!file) return TUNE_ERROR_IO;
    fprintf(file, "%ld\n", trial_of(p)->iteration);
    return fclose(file) == 0 ? TUNE_OK : TUNE_ERROR_IO;
}

static tune_status_t restore(tune_plugin_t *p, const char *dir, tune_error_t *e) {
    FILE *file = open_checkpoint(dir, "r", e);
    int read;
    if (!file) return TUNE_ERROR_IO;
    read = fscanf(file, "%ld", &trial_of(p)->iteration);
    fclose(file);
    if (read == 1) return TUNE_OK;
    set_error(e, "the checkpoint's file 'iteration' holds no number");
    return TUNE_ERROR_IO;
}

static tune_status_t reset(tune_plugin_t *p, const char *config, const tune_trial_context_t *c, tune_error_t *e) {
    (void)p;
    (void)config;
    (void)c;
    set_error(e, "this trainable cannot be reset");
    return TUNE_ERROR_NOT_SUPPORTED;
}

static const tune_trainable_t trainable = {setup, step, save, restore, reset};
static const tune_plugin_descriptor_t descriptor = {sizeof(tune_plugin_descriptor_t), "org.tune.test.abi_1_0",
                                                    TUNE_KIND_TRAINABLE, "1.0.0",
                                                    "A trainable built against the ABI 1.0 headers"};

static const void *get_interface(const tune_plugin_t *p, const char *id) {
    (void)p;
    return id && strcmp(id, TUNE_TRAINABLE_INTERFACE) == 0 ? &trainable : NULL;
}

static void destroy(tune_plugin_t *p) {
    if (!p) return;
    free(p->plugin_data);
    free(p);
}

static uint32_t count(void) { return 1; }
static const tune_plugin_descriptor_t *describe(uint32_t i) { return i == 0 ? &descriptor : NULL; }

static tune_status_t create(const tune_host_t *host, const char *id, tune_plugin_t **out, tune_error_t *e) {
    tune_plugin_t *p;
    if (!id || strcmp(id, descriptor.id) != 0) {
        set_error(e, "unknown plugin id");
        return TUNE_ERROR_INVALID_ARGUMENT;
    }
    p = calloc(1, sizeof *p);
    if (!p || !(p->plugin_data = calloc(1, sizeof(trial_t)))) {
        free(p);
        set_error(e, "out of memory");
        return TUNE_ERROR_INTERNAL;
    }
    trial_of(p)->host = host;
    p->struct_size = sizeof *p;
    p->descriptor = &descriptor;
    p->destroy = destroy;
    p->get_interface = get_interface;
    *out = p;
    return TUNE_OK;
}

TUNE_EXPORT const tune_plugin_entry_t tune_plugin_entry = {
    TUNE_ABI_VERSION_INIT, sizeof(tune_plugin_entry_t), NULL, NULL, count, describe, create};
