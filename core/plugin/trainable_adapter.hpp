// The host's C++ view of a trainable plugin instance ("tune.trainable/1").
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/plugin/plugin_instance.hpp"
#include "tune/trainable.h"

namespace tune::core {

struct TrialContextArgs {
    std::string trial_id;
    std::string trial_dir;
    unsigned num_cpus = 1;
    double num_gpus = 0.0;
    std::uint64_t seed = 0;
};

// Every call throws PluginCallError (naming the plugin and the call) if the plugin fails.
// Not thread-safe: one thread at a time, as the ABI requires.
class TrainableAdapter {
public:
    explicit TrainableAdapter(std::unique_ptr<PluginInstance> instance);

    const PluginInfo &info() const { return instance_->info(); }

    void setup(const std::string &config_json, const TrialContextArgs &context);
    std::string step(); // the step's result, a JSON object as text
    void save(const std::string &checkpoint_dir);
    void restore(const std::string &checkpoint_dir);
    // Returns false if the plugin does not support reset (then create a new instance).
    bool reset(const std::string &config_json, const TrialContextArgs &context);

    bool can_evaluate() const { return evaluate_ != nullptr; }
    std::string evaluate(const std::string &checkpoint_dir); // JSON object as text

    // The trial has ended (the end_trial extension); a no-op for a plugin without it.
    void end_trial();
    // The running trial's new context (its num_cpus changed; the update_context extension).
    // Returns false where the plugin keeps its thread count (no extension, or NOT_SUPPORTED).
    bool update_context(const TrialContextArgs &context);

private:
    std::unique_ptr<PluginInstance> instance_;
    const tune_trainable_t &table_;
    const tune_trainable_evaluate_t *evaluate_;
    const tune_trainable_end_trial_t *end_trial_;
    const tune_trainable_update_context_t *update_context_;
};

} // namespace tune::core
