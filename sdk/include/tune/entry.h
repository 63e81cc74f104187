/*
 * tune plugin ABI: the library entry, plugin descriptors and plugin instances.
 *
 * A plugin library exports exactly one symbol, `tune_plugin_entry` (TUNE_ENTRY_SYMBOL), a
 * const tune_plugin_entry_t. A library may hold several plugins of any kinds. The host reads
 * the entry's abi_version first and refuses a library whose major version differs from its
 * own. See docs/plugin-abi.md for the versioning rules.
 */
#ifndef TUNE_ENTRY_H
#define TUNE_ENTRY_H

#include "tune/types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI this header describes. Major: incompatible change. Minor: additions only. */
#define TUNE_ABI_VERSION_MAJOR 1
#define TUNE_ABI_VERSION_MINOR 6
#define TUNE_ABI_VERSION_PATCH 0

/* Name of the one exported symbol. */
#define TUNE_ENTRY_SYMBOL "tune_plugin_entry"

/*
 * The growth rule. Every struct that carries struct_size (the entry, descriptor, instance,
 * host and trial context) grows only by appending fields, in a minor version, and its
 * producer sets struct_size to sizeof the struct as it compiled it. A consumer
 *  - accepts any struct_size of at least the struct's 1.0 size (TUNE_*_SIZE_1_0 below),
 *    never sizeof of its own, larger copy: a 1.0 plugin's structs stay that small;
 *  - reads a field added after 1.0 only where TUNE_STRUCT_HAS_FIELD says struct_size
 *    covers it, and otherwise does what 1.0 did.
 * Interface tables (tune_trainable_t, ...) carry no struct_size and never grow: a changed
 * table is a new interface id ("tune.trainable/2" beside "tune.trainable/1").
 */

/* Bytes of type up to the end of field: the struct_size a struct needs to hold field. */
#define TUNE_SIZE_THROUGH(type, field) (offsetof(type, field) + sizeof(((type *)0)->field))

/* Non-zero if the struct at ptr, of type, was produced with field (its struct_size covers it). */
#define TUNE_STRUCT_HAS_FIELD(ptr, type, field) \
    ((ptr)->struct_size >= TUNE_SIZE_THROUGH(type, field))

/* The 1.0 sizes: where each struct's last 1.0 field ends, the least struct_size to accept. */
#define TUNE_PLUGIN_ENTRY_SIZE_1_0 TUNE_SIZE_THROUGH(tune_plugin_entry_t, create)
#define TUNE_PLUGIN_DESCRIPTOR_SIZE_1_0 TUNE_SIZE_THROUGH(tune_plugin_descriptor_t, description)
#define TUNE_PLUGIN_SIZE_1_0 TUNE_SIZE_THROUGH(tune_plugin_t, get_interface)
#define TUNE_HOST_SIZE_1_0 TUNE_SIZE_THROUGH(tune_host_t, log)
/*
 * Later sizes, for a field appended since: the least struct_size that holds it. ABI 1.5
 * appended the typed config reads to tune_host_t, all four at once: a host that has
 * config_number has the others too (TUNE_STRUCT_HAS_FIELD(host, tune_host_t, config_number)
 * is the one check). A 1.4 host passes TUNE_HOST_SIZE_1_0 bytes and none of them.
 */
#define TUNE_HOST_SIZE_1_5 TUNE_SIZE_THROUGH(tune_host_t, config_bool)
/* ABI 1.6 appended example_config to tune_plugin_descriptor_t. */
#define TUNE_PLUGIN_DESCRIPTOR_SIZE_1_6 TUNE_SIZE_THROUGH(tune_plugin_descriptor_t, example_config)
/* tune_trial_context_t is declared in tune/trainable.h. */
#define TUNE_TRIAL_CONTEXT_SIZE_1_0 TUNE_SIZE_THROUGH(tune_trial_context_t, seed)

typedef struct tune_abi_version {
    uint32_t major;
    uint32_t minor;
    uint32_t patch;
} tune_abi_version_t;

#define TUNE_ABI_VERSION_INIT {TUNE_ABI_VERSION_MAJOR, TUNE_ABI_VERSION_MINOR, TUNE_ABI_VERSION_PATCH}

/* What a plugin is, and so which interface create() yields: one of the TUNE_KIND_* constants. */
typedef int32_t tune_plugin_kind_t;
#define TUNE_KIND_TRAINABLE 1
#define TUNE_KIND_SEARCHER 2
#define TUNE_KIND_SCHEDULER 3

/*
 * Describes one plugin. Owned by the library, static: every pointer stays valid from load
 * until the library is unloaded. Strings are NUL-terminated UTF-8.
 */
typedef struct tune_plugin_descriptor {
    uint32_t struct_size;    /* sizeof(tune_plugin_descriptor_t) as the plugin compiled it */
    const char *id;          /* reverse-domain, unique: "org.example.my_trainable" */
    tune_plugin_kind_t kind; /* a TUNE_KIND_*: which interface create() yields */
    const char *version;     /* the plugin's own version, e.g. "1.2.0" */
    const char *description; /* one line */

    /*
     * ABI 1.6: an example config, or NULL for none. Read it only where
     * TUNE_STRUCT_HAS_FIELD(descriptor, tune_plugin_descriptor_t, example_config) holds: a
     * 1.5 plugin's descriptor ends before it. A NUL-terminated JSON object that this plugin's
     * setup accepts as it is, and that runs in seconds without anything the user must make
     * first: for a trainable, a config; for a searcher or scheduler, its settings (the object
     * its setup gets: "metric", "mode", "seed", "options", and a searcher's "num_samples" and
     * "space"). `tune check-plugin` checks the plugin with it when no --config is given, and
     * `tune plugins --example ID` prints it. Static, like the other strings.
     */
    const char *example_config;
} tune_plugin_descriptor_t;

/*
 * A live plugin instance, created by tune_plugin_entry_t.create and owned by the host until
 * it calls destroy. An instance is not thread-safe: the host calls it, and every function of
 * its interface tables, [instance-thread].
 */
typedef struct tune_plugin {
    uint32_t struct_size;                         /* sizeof(tune_plugin_t) as the plugin compiled it */
    const tune_plugin_descriptor_t *descriptor;   /* owned by the library, static */
    void *plugin_data;                            /* private to the plugin */

    /*
     * [instance-thread] Frees the instance and everything it owns. Never fails. The pointer
     * is invalid after.
     */
    void (*destroy)(struct tune_plugin *plugin);

    /*
     * [instance-thread] Returns the interface table for a versioned id such as
     * TUNE_TRAINABLE_INTERFACE ("tune.trainable/1"), or NULL if the plugin does not offer it.
     * The table is owned by the library, static, and its functions take this instance as
     * their first argument. interface_id is borrowed for the call.
     */
    const void *(*get_interface)(const struct tune_plugin *plugin, const char *interface_id);
} tune_plugin_t;

/*
 * The entry of a plugin library. Owned by the library, static. abi_version MUST stay the
 * first field in every ABI version, so that any host can read it before trusting the rest.
 * Every function is [main-thread].
 */
typedef struct tune_plugin_entry {
    tune_abi_version_t abi_version; /* TUNE_ABI_VERSION_INIT */
    uint32_t struct_size;           /* sizeof(tune_plugin_entry_t) as the plugin compiled it */

    /*
     * [main-thread] Called once after the library is loaded, before any other function.
     * library_path is borrowed for the call. On failure writes error and returns non-OK; the
     * host then unloads the library without calling deinit. May be NULL if there is nothing
     * to do.
     */
    tune_status_t (*init)(const char *library_path, tune_error_t *error);

    /* [main-thread] Called once before unload, after every instance was destroyed. May be NULL. */
    void (*deinit)(void);

    /* [main-thread] Number of plugins in this library. */
    uint32_t (*plugin_count)(void);

    /*
     * [main-thread] Descriptor of plugin index (0 <= index < plugin_count()), or NULL if out
     * of range. Owned by the library, static.
     */
    const tune_plugin_descriptor_t *(*plugin_descriptor)(uint32_t index);

    /*
     * [main-thread] Creates an instance of the plugin whose descriptor id equals plugin_id
     * (borrowed for the call). host is owned by the host and outlives the instance. On
     * success stores the new instance in *out and returns TUNE_OK; the host later frees it
     * with (*out)->destroy. On failure leaves *out NULL, writes error and returns non-OK.
     */
    tune_status_t (*create)(const tune_host_t *host, const char *plugin_id, tune_plugin_t **out,
                            tune_error_t *error);
} tune_plugin_entry_t;

#ifdef __cplusplus
}
#endif

#endif /* TUNE_ENTRY_H */
