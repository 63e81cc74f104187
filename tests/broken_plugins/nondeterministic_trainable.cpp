// Results depend on how many instances the process has set up, not on the config and seed:
// fails trainable.determinism (its checkpoints are complete, so save_restore passes).
#include "counter_trainable.hpp"

namespace {

int setups = 0;

class NondeterministicTrainable final : public CounterTrainable {
public:
    static constexpr const char *id = "org.tune.test.nondeterministic";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Results vary from instance to instance";
    void setup(const tune::Json &config, const tune::TrialContext &context) override {
        CounterTrainable::setup(config, context);
        offset_ += 0.001 * ++setups;
    }
};

} // namespace

TUNE_PLUGIN_LIBRARY(NondeterministicTrainable);
