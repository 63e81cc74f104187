// org.tune.test.pausing: pauses every trial each `pause_every` iterations, so that the
// controller's pause and resume path (a checkpoint, the resources freed, a restore when the
// trial is chosen again) runs in tests. It chooses the next trial as FIFO does. Option
// `decision_points`: "none" (the default: no promise), "kept" (promises CONTINUE until the
// next multiple of pause_every) or "broken" (promises CONTINUE for ever, and pauses anyway).
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
        decision_points_ = tune::get_or<std::string>(settings.options, "decision_points", "none");
        if (decision_points_ != "none" && decision_points_ != "kept" && decision_points_ != "broken")
            throw tune::ConfigError("decision_points must be \"none\", \"kept\" or \"broken\"");
    }
    std::int64_t next_decision_point(const std::string &, std::int64_t iteration) override {
        if (decision_points_ == "kept") return (iteration / pause_every_ + 1) * pause_every_;
        if (decision_points_ == "broken") return kNoDecisionPoint;
        return iteration + 1;
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
    std::string decision_points_ = "none";
};

} // namespace

TUNE_PLUGIN_LIBRARY(PausingScheduler);
