// Answers decision 7, which is no TUNE_DECISION_* constant, at every trial's third iteration:
// fails scheduler.decisions, and the host's adapter refuses the answer naming the value.
#include "tune/plugin.hpp"

namespace {

class InvalidDecisionScheduler final : public tune::Scheduler {
public:
    static constexpr const char *id = "org.tune.test.invalid_decision";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Returns an out-of-range decision";
    void setup(const tune::SchedulerSettings &) override {}
    tune::Decision on_trial_result(const std::string &, const tune::Json &result) override {
        if (result.value("training_iteration", 0) == 3) return {7, tune::Json::object()};
        return tune::Decision::keep_going();
    }
    tune::Json describe_state() override { return tune::Json::object(); }
    std::string save() override { return "{}"; }
    void restore(const std::string &) override {}
};

} // namespace

TUNE_PLUGIN_LIBRARY(InvalidDecisionScheduler);
