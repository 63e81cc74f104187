// At every trial's third iteration, asks to stop trial "99999", which does not exist: fails
// scheduler.decisions in check-plugin, and stops a run naming the scheduler and the trial.
#include "tune/plugin.hpp"

namespace {

class StrayActionScheduler final : public tune::Scheduler {
public:
    static constexpr const char *id = "org.tune.test.stray_action";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Acts on a trial that does not exist";
    void setup(const tune::SchedulerSettings &) override {}
    tune::Decision on_trial_result(const std::string &, const tune::Json &result) override {
        if (result.value("training_iteration", 0) == 3) actions_.push_back(tune::stop_action("99999"));
        return tune::Decision::keep_going();
    }
    tune::Json take_actions() override { return std::exchange(actions_, tune::Json::array()); }
    std::string save() override { return "{}"; }
    void restore(const std::string &) override {}

private:
    tune::Json actions_ = tune::Json::array();
};

} // namespace

TUNE_PLUGIN_LIBRARY(StrayActionScheduler);
