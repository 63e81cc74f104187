// C++ helper for trainable plugins: derive from tune::Trainable, implement its pure virtual
// functions, and list the class in TUNE_PLUGIN_LIBRARY (tune/plugin.hpp).
#pragma once

#include <string>

#include "tune/sdk/common.hpp"

namespace tune {

struct TrialContext {
    std::string trial_id;
    std::string trial_dir;
    unsigned num_cpus = 1;
    double num_gpus = 0.0;
    std::uint64_t seed = 0;
};

class Trainable : public PluginBase {
public:
    static constexpr tune_plugin_kind_t kind = TUNE_KIND_TRAINABLE;

    // Throw ConfigError for a bad config; the message should name the key.
    virtual void setup(const Json &config, const TrialContext &context) = 0;
    // One unit of training; returns the step's metrics as a JSON object.
    virtual Json step() = 0;
    virtual void save(const std::string &checkpoint_dir) = 0;
    virtual void restore(const std::string &checkpoint_dir) = 0;
    // Reuse this object for a new trial. Return false if it cannot be reused.
    virtual bool reset(const Json & /*config*/, const TrialContext & /*context*/) { return false; }
    // The trial has ended (finished, failed, stopped or paused): end what runs between calls
    // (a child process, a thread). Next come reset, destroy, or setup and restore again.
    virtual void end_trial() {}
    // The trial's CPUs changed between steps (the host lends spare CPUs, and takes them back):
    // use context.num_cpus intra-op threads from the next step on. The other fields are as at
    // setup. Return false to keep the count the trial was set up with.
    virtual bool update_context(const TrialContext & /*context*/) { return false; }
};

// Mix in next to Trainable to offer the evaluate extension (score a checkpoint on test data).
class Evaluator {
public:
    virtual ~Evaluator() = default;
    virtual Json evaluate(const std::string &checkpoint_dir) = 0;
};

namespace detail {

// Reads every 1.0 field; a field appended later must be read only where
// TUNE_STRUCT_HAS_FIELD(c, tune_trial_context_t, field) holds (the growth rule in tune/entry.h).
inline TrialContext to_context(const tune_trial_context_t *c) {
    if (!c) throw Error(TUNE_ERROR_INVALID_ARGUMENT, "trial context is NULL");
    if (c->struct_size < TUNE_TRIAL_CONTEXT_SIZE_1_0)
        throw Error(TUNE_ERROR_INVALID_ARGUMENT,
                    "trial context struct_size is " + std::to_string(c->struct_size) + ", smaller than its " +
                        std::to_string(TUNE_TRIAL_CONTEXT_SIZE_1_0) + " bytes in ABI 1.0");
    TrialContext context;
    context.trial_id = c->trial_id ? c->trial_id : "";
    context.trial_dir = c->trial_dir ? c->trial_dir : "";
    context.num_cpus = c->num_cpus;
    context.num_gpus = c->num_gpus;
    context.seed = c->seed;
    return context;
}

inline std::string require_path(const char *path, const char *what) {
    if (!path) throw Error(TUNE_ERROR_INVALID_ARGUMENT, std::string(what) + " is NULL");
    return path;
}

template <class P> struct TrainableThunks {
    static tune_status_t setup(tune_plugin_t *p, const char *config, const tune_trial_context_t *ctx,
                               tune_error_t *e) {
        return guard(e, [&] { self<P>(p).setup(parse_json_object(config, "config"), to_context(ctx)); });
    }
    static tune_status_t step(tune_plugin_t *p, const tune_text_out_t *out, tune_error_t *e) {
        return guard(e, [&] {
            Json result = self<P>(p).step();
            if (!result.is_object()) throw Error(TUNE_ERROR_INTERNAL, "step() must return a JSON object");
            append(out, result.dump());
        });
    }
    static tune_status_t save(tune_plugin_t *p, const char *dir, tune_error_t *e) {
        return guard(e, [&] { self<P>(p).save(require_path(dir, "checkpoint_dir")); });
    }
    static tune_status_t restore(tune_plugin_t *p, const char *dir, tune_error_t *e) {
        return guard(e, [&] { self<P>(p).restore(require_path(dir, "checkpoint_dir")); });
    }
    static tune_status_t reset(tune_plugin_t *p, const char *config, const tune_trial_context_t *ctx,
                               tune_error_t *e) {
        return guard(e, [&] {
            if (!self<P>(p).reset(parse_json_object(config, "config"), to_context(ctx)))
                throw Error(TUNE_ERROR_NOT_SUPPORTED, "this trainable cannot be reset");
        });
    }
    static tune_status_t evaluate(tune_plugin_t *p, const char *dir, const tune_text_out_t *out,
                                  tune_error_t *e) {
        return guard(e, [&] {
            Json result = self<P>(p).evaluate(require_path(dir, "checkpoint_dir"));
            append(out, result.dump());
        });
    }

    static tune_status_t end_trial(tune_plugin_t *p, tune_error_t *e) {
        return guard(e, [&] { self<P>(p).end_trial(); });
    }
    static tune_status_t update_context(tune_plugin_t *p, const tune_trial_context_t *ctx, tune_error_t *e) {
        return guard(e, [&] {
            if (!self<P>(p).update_context(to_context(ctx)))
                throw Error(TUNE_ERROR_NOT_SUPPORTED, "this trainable keeps its thread count");
        });
    }

    static constexpr tune_trainable_t table{&setup, &step, &save, &restore, &reset};
    static constexpr tune_trainable_evaluate_t evaluate_table{&evaluate};
    static constexpr tune_trainable_end_trial_t end_trial_table{&end_trial};
    static constexpr tune_trainable_update_context_t update_context_table{&update_context};

    static const void *get_interface(const char *interface_id) {
        if (std::strcmp(interface_id, TUNE_TRAINABLE_INTERFACE) == 0) return &table;
        if (std::strcmp(interface_id, TUNE_TRAINABLE_END_TRIAL_INTERFACE) == 0) return &end_trial_table;
        if (std::strcmp(interface_id, TUNE_TRAINABLE_UPDATE_CONTEXT_INTERFACE) == 0) return &update_context_table;
        if constexpr (std::is_base_of_v<Evaluator, P>) {
            if (std::strcmp(interface_id, TUNE_TRAINABLE_EVALUATE_INTERFACE) == 0) return &evaluate_table;
        }
        return nullptr;
    }
};

} // namespace detail
} // namespace tune
