// org.tune.test.pausing: pauses every trial each `pause_every` iterations, so that the
// controller's pause and resume path (a checkpoint, the resources freed, a restore when the
// trial is chosen again) runs in tests. It chooses the next trial as FIFO does.
#include "tune/plugin.hpp"

namespace {

class PausingScheduler final : public tune::Scheduler {
public:
    static constexpr const char *id = "org.tune.test.pausing";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Pauses every trial each pause_every iterations (tests)";

    void setup(const tune::SchedulerSettings &settings) override {
        pause_every_ = tune::get_or<long long>(settings.options, "pause_every", 2);
        if (pause_every_ < 1) throw tune::ConfigError("pause_every must be at least 1");
    }
    tune::Decision on_trial_result(const std::string &, const tune::Json &result) override {
        const long long iteration = result.at("training_iteration").get<long long>();
        if (iteration % pause_every_ == 0) return tune::Decision::pause({{"reason", "round robin"}});
        return tune::Decision::keep_going();
    }
    std::string save() override { return std::to_string(pause_every_); }
    void restore(const std::string &state) override { pause_every_ = std::stoll(state); }

private:
    long long pause_every_ = 2;
};

} // namespace

TUNE_PLUGIN_LIBRARY(PausingScheduler);
