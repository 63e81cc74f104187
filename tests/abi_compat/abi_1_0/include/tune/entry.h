/* FROZEN: the tune plugin ABI 1.0 headers exactly as 1.0 plugins were compiled against them
 * (enums included). Never edit: tests/abi_compat builds a 1.0 plugin against these to prove
 * that newer hosts keep loading it. */
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
#define TUNE_ABI_VERSION_MINOR 0
#define TUNE_ABI_VERSION_PATCH 0

/* Name of the one exported symbol. */
#define TUNE_ENTRY_SYMBOL "tune_plugin_entry"

typedef struct tune_abi_version {
    uint32_t major;
    uint32_t minor;
    uint32_t patch;
} tune_abi_version_t;

#define TUNE_ABI_VERSION_INIT {TUNE_ABI_VERSION_MAJOR, TUNE_ABI_VERSION_MINOR, TUNE_ABI_VERSION_PATCH}

typedef enum tune_plugin_kind {
    TUNE_KIND_TRAINABLE = 1,
    TUNE_KIND_SEARCHER = 2,
    TUNE_KIND_SCHEDULER = 3
} tune_plugin_kind_t;

/*
 * Describes one plugin. Owned by the library, static: every pointer stays valid from load
 * until the library is unloaded. Strings are NUL-terminated UTF-8.
 */
typedef struct tune_plugin_descriptor {
    uint32_t struct_size;    /* sizeof(tune_plugin_descriptor_t) as the plugin compiled it */
    const char *id;          /* reverse-domain, unique: "org.example.my_trainable" */
    tune_plugin_kind_t kind; /* which interface create() yields */
    const char *version;     /* the plugin's own version, e.g. "1.2.0" */
    const char *description; /* one line */
} tune_plugin_descriptor_t;

/*
 * A live plugin instance, created by tune_plugin_entry_t.create and owned by the host until
 * it calls destroy. An instance is not thread-safe: the host calls it from one thread at a
 * time (not necessarily the same thread each time).
 */
typedef struct tune_plugin {
    uint32_t struct_size;                         /* sizeof(tune_plugin_t) as the plugin compiled it */
    const tune_plugin_descriptor_t *descriptor;   /* owned by the library, static */
    void *plugin_data;                            /* private to the plugin */

    /* Frees the instance and everything it owns. Never fails. The pointer is invalid after. */
    void (*destroy)(struct tune_plugin *plugin);

    /*
     * Returns the interface table for a versioned id such as TUNE_TRAINABLE_INTERFACE
     * ("tune.trainable/1"), or NULL if the plugin does not offer it. The table is owned by
     * the library, static, and its functions take this instance as their first argument.
     * interface_id is borrowed for the call.
     */
    const void *(*get_interface)(const struct tune_plugin *plugin, const char *interface_id);
} tune_plugin_t;

/*
 * The entry of a plugin library. abi_version MUST stay the first field in every ABI version,
 * so that any host can read it before trusting the rest. Functions are called on the host's
 * main thread, never concurrently with each other.
 */
typedef struct tune_plugin_entry {
    tune_abi_version_t abi_version; /* TUNE_ABI_VERSION_INIT */
    uint32_t struct_size;           /* sizeof(tune_plugin_entry_t) as the plugin compiled it */

    /*
     * Called once after the library is loaded, before any other function. library_path is
     * borrowed for the call. On failure writes error and returns non-OK; the host then
     * unloads the library without calling deinit. May be NULL if there is nothing to do.
     */
    tune_status_t (*init)(const char *library_path, tune_error_t *error);

    /* Called once before unload, after every instance was destroyed. May be NULL. */
    void (*deinit)(void);

    /* Number of plugins in this library. */
    uint32_t (*plugin_count)(void);

    /* Descriptor of plugin index (0 <= index < plugin_count()), or NULL if out of range. */
    const tune_plugin_descriptor_t *(*plugin_descriptor)(uint32_t index);

    /*
     * Creates an instance of the plugin whose descriptor id equals plugin_id. host is owned
     * by the host and outlives the instance. On success stores the new instance in *out and
     * returns TUNE_OK; the host later frees it with (*out)->destroy. On failure leaves *out
     * NULL, writes error and returns non-OK.
     */
    tune_status_t (*create)(const tune_host_t *host, const char *plugin_id, tune_plugin_t **out,
                            tune_error_t *error);
} tune_plugin_entry_t;

#ifdef __cplusplus
}
#endif

#endif /* TUNE_ENTRY_H */
