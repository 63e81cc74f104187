// Keeps its state behind a pointer that only setup() fills, and never checks it: a step or
// save before a (successful) setup dereferences NULL. Fails calls_after_error.
#include <memory>

#include "counter_trainable.hpp"

namespace {

class UnsafeBeforeSetup final : public tune::Trainable {
public:
    static constexpr const char *id = "org.tune.test.unsafe_before_setup";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Crashes when called before setup";
    void setup(const tune::Json &config, const tune::TrialContext &context) override {
        auto inner = std::make_unique<CounterTrainable>();
        inner->setup(config, context);
        inner_ = std::move(inner);
    }
    tune::Json step() override { return inner_->step(); }
    void save(const std::string &dir) override { inner_->save(dir); }
    void restore(const std::string &dir) override { inner_->restore(dir); }

private:
    std::unique_ptr<CounterTrainable> inner_;
};

} // namespace

TUNE_PLUGIN_LIBRARY(UnsafeBeforeSetup);
