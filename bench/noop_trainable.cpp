// org.tune.bench.noop: a trainable that does no work, so a benchmark measures only tune.
#include "tune/plugin.hpp"

namespace {

class NoopTrainable final : public tune::Trainable {
public:
    static constexpr const char *id = "org.tune.bench.noop";
    static constexpr const char *version = "1.0.0";
    static constexpr const char *description = "Does nothing; reports loss = x / iteration";

    void setup(const tune::Json &config, const tune::TrialContext &) override {
        x_ = tune::get_or<double>(config, "x", 1.0);
        iteration_ = 0;
    }
    tune::Json step() override { return {{"loss", x_ / static_cast<double>(++iteration_)}}; }
    void save(const std::string &) override {}
    void restore(const std::string &) override {}
    bool reset(const tune::Json &config, const tune::TrialContext &context) override {
        setup(config, context);
        return true;
    }

private:
    double x_ = 1.0;
    long long iteration_ = 0;
};

} // namespace

TUNE_PLUGIN_LIBRARY(NoopTrainable);
