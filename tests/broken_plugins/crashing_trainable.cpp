// A trainable that aborts its process at iteration "crash_at" (0: never), printing a last
// line first, so the engine's handling of a dying worker can be tested.
#include <cstdio>
#include <cstdlib>

#include "tune/plugin.hpp"

namespace {

class CrashingTrainable final : public tune::Trainable {
public:
    static constexpr const char *id = "org.tune.test.crashing";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Aborts at iteration crash_at";

    void setup(const tune::Json &config, const tune::TrialContext &) override {
        crash_at_ = tune::get_or<long long>(config, "crash_at", 0);
        iteration_ = 0;
    }
    tune::Json step() override {
        if (++iteration_ == crash_at_) {
            std::fprintf(stderr, "crashing on purpose at iteration %lld\n", iteration_);
            std::fflush(stderr);
            std::abort();
        }
        return {{"loss", 1.0 / static_cast<double>(iteration_)}};
    }
    void save(const std::string &) override {}
    void restore(const std::string &) override {}

private:
    long long crash_at_ = 0;
    long long iteration_ = 0;
};

} // namespace

TUNE_PLUGIN_LIBRARY(CrashingTrainable);
