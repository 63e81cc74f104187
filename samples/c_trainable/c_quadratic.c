/*
 * org.tune.sample.c_quadratic: a trainable written in plain C99 against tune's C ABI.
 *
 *   loss(t) = (x - 1)^2 + 1 / t      for training iteration t = 1, 2, ...
 *   log_loss(t) = ln(loss(t))        (with libm's log, which tune_add_plugin links for C)
 *
 * Config: "x", a number (optional, default 0), read with the host's typed config reads (ABI
 * 1.5). Results are written with tune/result_writer.h. Checkpoint: the file c_quadratic.state,
 * holding the iteration count. No JSON library needed.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tune/result_writer.h"
#include "tune/tune.h"

/* The instance: the ABI's tune_plugin_t first, in one allocation with the trainable's state. */
typedef struct quadratic {
    tune_plugin_t plugin;
    const tune_host_t *host; /* owned by the host, outlives the instance */
    double x;
    long iteration;
} quadratic_t;

static quadratic_t *self(tune_plugin_t *plugin) { return (quadratic_t *)plugin->plugin_data; }

static tune_status_t fail(tune_error_t *error, tune_status_t status, const char *message) {
    if (error) snprintf(error->message, sizeof error->message, "%s", message);
    return status;
}

/* setup, and reset too: nothing outlives a trial, so reuse is a fresh setup. */
static tune_status_t setup(tune_plugin_t *plugin, const char *config_json, const tune_trial_context_t *context,
                           tune_error_t *error) {
    quadratic_t *q = self(plugin);
    (void)context; /* no threads, no randomness */
    q->iteration = 0;
    return q->host->config_number(q->host, config_json, "x", TUNE_CONFIG_OPTIONAL, 0.0, &q->x, error);
}

static tune_status_t step(tune_plugin_t *plugin, const tune_text_out_t *result, tune_error_t *error) {
    quadratic_t *q = self(plugin);
    tune_result_writer_t r = tune_result_begin(result);
    double loss;
    (void)error;
    q->iteration += 1;
    loss = (q->x - 1.0) * (q->x - 1.0) + 1.0 / (double)q->iteration;
    tune_result_number(&r, "loss", loss);
    tune_result_number(&r, "log_loss", log(loss));
    tune_result_end(&r);
    return TUNE_OK;
}

/* Opens checkpoint_dir/c_quadratic.state with mode into *file, or writes error. */
static tune_status_t open_state(const char *dir, const char *mode, FILE **file, tune_error_t *error) {
    char path[4096];
    if (!dir || (size_t)snprintf(path, sizeof path, "%s/c_quadratic.state", dir) >= sizeof path)
        return fail(error, TUNE_ERROR_INVALID_ARGUMENT, "checkpoint_dir is NULL or too long");
    if (!(*file = fopen(path, mode))) return fail(error, TUNE_ERROR_IO, "cannot open c_quadratic.state");
    return TUNE_OK;
}

static tune_status_t save(tune_plugin_t *plugin, const char *dir, tune_error_t *error) {
    FILE *file = NULL;
    int written;
    tune_status_t status = open_state(dir, "w", &file, error);
    if (status != TUNE_OK) return status;
    written = fprintf(file, "%ld\n", self(plugin)->iteration) > 0;
    if (fclose(file) != 0 || !written) return fail(error, TUNE_ERROR_IO, "cannot write c_quadratic.state");
    return TUNE_OK;
}

static tune_status_t restore(tune_plugin_t *plugin, const char *dir, tune_error_t *error) {
    FILE *file = NULL;
    long iteration = -1;
    tune_status_t status = open_state(dir, "r", &file, error);
    if (status != TUNE_OK) return status;
    if (fscanf(file, "%ld", &iteration) != 1) iteration = -1;
    fclose(file);
    if (iteration < 0) return fail(error, TUNE_ERROR_IO, "c_quadratic.state is corrupt: expected an iteration count");
    self(plugin)->iteration = iteration;
    return TUNE_OK;
}

static const tune_trainable_t trainable_table = {setup, step, save, restore, /* reset */ setup};

static const tune_plugin_descriptor_t descriptor = {
    sizeof(tune_plugin_descriptor_t), "org.tune.sample.c_quadratic", TUNE_KIND_TRAINABLE, "1.0.0",
    "Plain-C sample trainable: loss = (x - 1)^2 + 1/t", /* example_config (ABI 1.6): */ "{\"x\": 2.5}"};

static const void *get_interface(const tune_plugin_t *plugin, const char *interface_id) {
    (void)plugin;
    return interface_id && strcmp(interface_id, TUNE_TRAINABLE_INTERFACE) == 0 ? &trainable_table : NULL;
}

static void destroy(tune_plugin_t *plugin) { free(plugin ? plugin->plugin_data : NULL); }

static uint32_t plugin_count(void) { return 1; }

static const tune_plugin_descriptor_t *plugin_descriptor(uint32_t index) { return index == 0 ? &descriptor : NULL; }

static tune_status_t create(const tune_host_t *host, const char *plugin_id, tune_plugin_t **out, tune_error_t *error) {
    quadratic_t *q;
    if (out) *out = NULL;
    if (!out || !plugin_id || strcmp(plugin_id, descriptor.id) != 0)
        return fail(error, TUNE_ERROR_INVALID_ARGUMENT, "out is NULL or plugin_id is not org.tune.sample.c_quadratic");
    /* The typed config reads came with ABI 1.5: an older host's struct ends before them. */
    if (!host || !TUNE_STRUCT_HAS_FIELD(host, tune_host_t, config_number) || !host->config_number)
        return fail(error, TUNE_ERROR_NOT_SUPPORTED, "c_quadratic needs a tune host of ABI 1.5 or later");
    if (!(q = (quadratic_t *)calloc(1, sizeof *q))) return fail(error, TUNE_ERROR_INTERNAL, "out of memory");
    q->host = host;
    q->plugin.struct_size = sizeof q->plugin;
    q->plugin.descriptor = &descriptor;
    q->plugin.plugin_data = q;
    q->plugin.destroy = destroy;
    q->plugin.get_interface = get_interface;
    *out = &q->plugin;
    return TUNE_OK;
}

TUNE_EXPORT const tune_plugin_entry_t tune_plugin_entry = {
    TUNE_ABI_VERSION_INIT, sizeof(tune_plugin_entry_t), NULL, NULL, plugin_count, plugin_descriptor, create};
