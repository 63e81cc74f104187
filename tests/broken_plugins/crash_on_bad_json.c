/*
 * A plain-C trainable that "parses" its config by trusting the first character, and
 * dereferences NULL for text that cannot start a JSON value (such as "" or "not json").
 * Valid JSON that is not an object is refused properly. Fails invalid_config.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tune/tune.h"

typedef struct counter {
    long t;
} counter_t;

static void set_error(tune_error_t *error, const char *message) {
    if (error) snprintf(error->message, sizeof error->message, "%s", message);
}

static tune_status_t configure(tune_plugin_t *plugin, const char *config, tune_error_t *error) {
    const char *first = config;
    while (*first == ' ') ++first;
    if (!strchr("{[\"-0123456789tfn", *first) || *first == '\0') {
        volatile int *nowhere = NULL;
        *nowhere = 1; /* the bug on purpose */
    }
    if (*first != '{') {
        set_error(error, "config must be a JSON object");
        return TUNE_ERROR_INVALID_CONFIG;
    }
    ((counter_t *)plugin->plugin_data)->t = 0;
    return TUNE_OK;
}

static tune_status_t setup(tune_plugin_t *p, const char *config, const tune_trial_context_t *c, tune_error_t *e) {
    (void)c;
    return configure(p, config, e);
}

static tune_status_t reset(tune_plugin_t *p, const char *config, const tune_trial_context_t *c, tune_error_t *e) {
    (void)c;
    return configure(p, config, e);
}

static tune_status_t step(tune_plugin_t *p, const tune_text_out_t *out, tune_error_t *e) {
    char text[64];
    int n = snprintf(text, sizeof text, "{\"loss\": %.17g}", 1.0 / (double)++((counter_t *)p->plugin_data)->t);
    (void)e;
    out->append(out->ctx, text, (size_t)n);
    return TUNE_OK;
}

static tune_status_t save(tune_plugin_t *p, const char *dir, tune_error_t *e) {
    char path[4096];
    FILE *f;
    snprintf(path, sizeof path, "%s/t", dir);
    f = fopen(path, "w");
    if (!f) {
        set_error(e, "cannot write the checkpoint");
        return TUNE_ERROR_IO;
    }
    fprintf(f, "%ld\n", ((counter_t *)p->plugin_data)->t);
    fclose(f);
    return TUNE_OK;
}

static tune_status_t restore(tune_plugin_t *p, const char *dir, tune_error_t *e) {
    char path[4096];
    FILE *f;
    long t = 0;
    snprintf(path, sizeof path, "%s/t", dir);
    f = fopen(path, "r");
    if (!f || fscanf(f, "%ld", &t) != 1) {
        if (f) fclose(f);
        set_error(e, "the checkpoint has no readable file 't'");
        return TUNE_ERROR_IO;
    }
    fclose(f);
    ((counter_t *)p->plugin_data)->t = t;
    return TUNE_OK;
}

static const tune_trainable_t table = {setup, step, save, restore, reset};
static const tune_plugin_descriptor_t descriptor = {sizeof(tune_plugin_descriptor_t), "org.tune.test.crash_on_bad_json",
                                                    TUNE_KIND_TRAINABLE, "0.0.1",
                                                    "Crashes on some malformed JSON configs",
                                                    NULL /* no example_config */};

static const void *get_interface(const tune_plugin_t *p, const char *id) {
    (void)p;
    return id && strcmp(id, TUNE_TRAINABLE_INTERFACE) == 0 ? &table : NULL;
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
    (void)host;
    if (!id || strcmp(id, descriptor.id) != 0) {
        set_error(e, "unknown plugin id");
        return TUNE_ERROR_INVALID_ARGUMENT;
    }
    p = calloc(1, sizeof *p);
    if (!p || !(p->plugin_data = calloc(1, sizeof(counter_t)))) {
        free(p);
        set_error(e, "out of memory");
        return TUNE_ERROR_INTERNAL;
    }
    p->struct_size = sizeof *p;
    p->descriptor = &descriptor;
    p->destroy = destroy;
    p->get_interface = get_interface;
    *out = p;
    return TUNE_OK;
}

TUNE_EXPORT const tune_plugin_entry_t tune_plugin_entry = {
    TUNE_ABI_VERSION_INIT, sizeof(tune_plugin_entry_t), NULL, NULL, count, describe, create};
