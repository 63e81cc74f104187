// Stops every fourth result it sees, counting results in its state, but restore() forgets the
// count: decisions after a restore differ. Fails scheduler.save_restore.
#include <string>

#include "tune/plugin.hpp"

namespace {

class ForgetfulScheduler final : public tune::Scheduler {
public:
    static constexpr const char *id = "org.tune.test.forgetful_scheduler";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Stops every fourth result; restores nothing";
    void setup(const tune::SchedulerSettings &) override { results_ = 0; }
    tune::Decision on_trial_result(const std::string &, const tune::Json &) override {
        return ++results_ % 4 == 0 ? tune::Decision::stop() : tune::Decision::keep_going();
    }
    tune::Json describe_state() override { return {{"results", results_}}; }
    std::string save() override { return std::to_string(results_); }
    void restore(const std::string &) override {}

private:
    long results_ = 0;
};

} // namespace

TUNE_PLUGIN_LIBRARY(ForgetfulScheduler);
