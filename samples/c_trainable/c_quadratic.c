/*
 * org.tune.sample.c_quadratic: a trainable written in plain C99 against tune's C ABI.
 *
 *   loss(t) = (x - 1)^2 + 1 / t      for training iteration t = 1, 2, ...
 *
 * It reads one number, "x", from the config JSON. To stay dependency-free it checks the JSON
 * syntax and scans for the key by hand; a real C plugin would use a JSON library such as
 * cJSON or jansson.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tune/tune.h"

typedef struct quadratic {
    double x;
    long iteration;
} quadratic_t;

static void set_error(tune_error_t *error, const char *message) {
    if (error) snprintf(error->message, sizeof error->message, "%s", message);
}

/* Finds "key": <number> in a flat JSON object. Returns 1 and stores it, 0 if absent, -1 if not a number. */
static int find_number(const char *json, const char *key, double *out) {
    char pattern[64];
    const char *at;
    char *end;
    snprintf(pattern, sizeof pattern, "\"%s\"", key);
    at = strstr(json, pattern);
    if (!at) return 0;
    at += strlen(pattern);
    while (*at == ' ' || *at == '\t' || *at == '\n' || *at == '\r') ++at;
    if (*at != ':') return -1;
    ++at;
    errno = 0;
    *out = strtod(at, &end);
    return (end == at || errno != 0) ? -1 : 1;
}

/*
 * A strict JSON syntax check (RFC 8259 values, no semantics), so that malformed text is an
 * error rather than an empty config. Returns the end of the value at text, or NULL.
 */
static const char *skip_space(const char *s) {
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') ++s;
    return s;
}

static const char *json_value(const char *s, int depth);

static const char *json_string(const char *s) {
    if (*s++ != '"') return NULL;
    while (*s != '"') {
        if ((unsigned char)*s < 0x20) return NULL; /* also the terminating NUL */
        if (*s == '\\' && *++s == '\0') return NULL;
        ++s;
    }
    return s + 1;
}

static const char *json_items(const char *s, char close, int depth) {
    s = skip_space(s + 1);
    if (*s == close) return s + 1;
    for (;;) {
        if (close == '}') {
            s = json_string(s);
            if (!s || *(s = skip_space(s)) != ':') return NULL;
            ++s;
        }
        if (!(s = json_value(s, depth + 1))) return NULL;
        s = skip_space(s);
        if (*s == close) return s + 1;
        if (*s++ != ',') return NULL;
        s = skip_space(s);
    }
}

static const char *json_value(const char *s, int depth) {
    char *end;
    if (depth > 64) return NULL;
    s = skip_space(s);
    if (*s == '{') return json_items(s, '}', depth);
    if (*s == '[') return json_items(s, ']', depth);
    if (*s == '"') return json_string(s);
    if (strncmp(s, "true", 4) == 0) return s + 4;
    if (strncmp(s, "false", 5) == 0) return s + 5;
    if (strncmp(s, "null", 4) == 0) return s + 4;
    if (*s != '-' && (*s < '0' || *s > '9')) return NULL;
    strtod(s, &end);
    return end == s ? NULL : end;
}

/* 1 if text is exactly one JSON object (with surrounding white space). */
static int is_json_object(const char *text) {
    const char *end;
    if (*skip_space(text) != '{') return 0;
    end = json_value(text, 0);
    return end && *skip_space(end) == '\0';
}

static quadratic_t *self(tune_plugin_t *plugin) { return (quadratic_t *)plugin->plugin_data; }

static tune_status_t configure(quadratic_t *q, const char *config_json, tune_error_t *error) {
    double x = 0.0;
    if (!config_json) {
        set_error(error, "config is NULL");
        return TUNE_ERROR_INVALID_ARGUMENT;
    }
    if (!is_json_object(config_json)) {
        set_error(error, "config is not a JSON object");
        return TUNE_ERROR_INVALID_ARGUMENT;
    }
    if (find_number(config_json, "x", &x) < 0) {
        set_error(error, "config key 'x' must be a number");
        return TUNE_ERROR_INVALID_CONFIG;
    }
    q->x = x;
    q->iteration = 0;
    return TUNE_OK;
}

static tune_status_t setup(tune_plugin_t *plugin, const char *config_json, const tune_trial_context_t *context,
                           tune_error_t *error) {
    (void)context;
    return configure(self(plugin), config_json, error);
}

static tune_status_t step(tune_plugin_t *plugin, const tune_text_out_t *result, tune_error_t *error) {
    quadratic_t *q = self(plugin);
    char text[128];
    int size;
    (void)error;
    q->iteration += 1;
    size = snprintf(text, sizeof text, "{\"loss\": %.17g}", (q->x - 1.0) * (q->x - 1.0) + 1.0 / (double)q->iteration);
    result->append(result->ctx, text, (size_t)size);
    return TUNE_OK;
}

static tune_status_t state_path(const char *dir, char *path, size_t capacity, tune_error_t *error) {
    if (!dir || (size_t)snprintf(path, capacity, "%s/c_quadratic.state", dir) >= capacity) {
        set_error(error, "checkpoint_dir is NULL or too long");
        return TUNE_ERROR_INVALID_ARGUMENT;
    }
    return TUNE_OK;
}

static tune_status_t save(tune_plugin_t *plugin, const char *dir, tune_error_t *error) {
    char path[4096];
    FILE *file;
    tune_status_t status = state_path(dir, path, sizeof path, error);
    if (status != TUNE_OK) return status;
    file = fopen(path, "w");
    if (!file || fprintf(file, "%ld\n", self(plugin)->iteration) < 0 || fclose(file) != 0) {
        set_error(error, "cannot write c_quadratic.state in the checkpoint folder");
        return TUNE_ERROR_IO;
    }
    return TUNE_OK;
}

static tune_status_t restore(tune_plugin_t *plugin, const char *dir, tune_error_t *error) {
    char path[4096];
    FILE *file;
    long iteration = 0;
    int read;
    tune_status_t status = state_path(dir, path, sizeof path, error);
    if (status != TUNE_OK) return status;
    file = fopen(path, "r");
    if (!file) {
        set_error(error, "checkpoint has no c_quadratic.state");
        return TUNE_ERROR_IO;
    }
    read = fscanf(file, "%ld", &iteration);
    fclose(file);
    if (read != 1 || iteration < 0) {
        set_error(error, "c_quadratic.state is corrupt: expected a non-negative iteration count");
        return TUNE_ERROR_IO;
    }
    self(plugin)->iteration = iteration;
    return TUNE_OK;
}

static tune_status_t reset(tune_plugin_t *plugin, const char *config_json, const tune_trial_context_t *context,
                           tune_error_t *error) {
    (void)context;
    return configure(self(plugin), config_json, error);
}

static const tune_trainable_t trainable_table = {setup, step, save, restore, reset};

static const tune_plugin_descriptor_t descriptor = {
    sizeof(tune_plugin_descriptor_t), "org.tune.sample.c_quadratic", TUNE_KIND_TRAINABLE, "1.0.0",
    "Plain-C sample trainable: loss = (x - 1)^2 + 1/t"};

static const void *get_interface(const tune_plugin_t *plugin, const char *interface_id) {
    (void)plugin;
    if (interface_id && strcmp(interface_id, TUNE_TRAINABLE_INTERFACE) == 0) return &trainable_table;
    return NULL;
}

static void destroy(tune_plugin_t *plugin) {
    if (!plugin) return;
    free(plugin->plugin_data);
    free(plugin);
}

static uint32_t plugin_count(void) { return 1; }

static const tune_plugin_descriptor_t *plugin_descriptor(uint32_t index) { return index == 0 ? &descriptor : NULL; }

static tune_status_t create(const tune_host_t *host, const char *plugin_id, tune_plugin_t **out, tune_error_t *error) {
    tune_plugin_t *plugin;
    (void)host;
    if (!out || !plugin_id || strcmp(plugin_id, descriptor.id) != 0) {
        set_error(error, "unknown plugin id");
        return TUNE_ERROR_INVALID_ARGUMENT;
    }
    *out = NULL;
    plugin = (tune_plugin_t *)calloc(1, sizeof *plugin);
    if (!plugin || !(plugin->plugin_data = calloc(1, sizeof(quadratic_t)))) {
        free(plugin);
        set_error(error, "out of memory");
        return TUNE_ERROR_INTERNAL;
    }
    plugin->struct_size = sizeof *plugin;
    plugin->descriptor = &descriptor;
    plugin->destroy = destroy;
    plugin->get_interface = get_interface;
    *out = plugin;
    return TUNE_OK;
}

TUNE_EXPORT const tune_plugin_entry_t tune_plugin_entry = {
    TUNE_ABI_VERSION_INIT, sizeof(tune_plugin_entry_t), NULL, NULL, plugin_count, plugin_descriptor, create};
