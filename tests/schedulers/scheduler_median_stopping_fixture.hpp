// Helpers for the median stopping scheduler's tests, on top of scheduler_fixture.hpp: the
// plugin through the real ABI, and Ray's own test results.
#pragma once

#include <string>

#include "scheduler_fixture.hpp"

namespace tune::test {

inline core::SchedulerAdapter load_median() {
    return load_scheduler("tune_median_stopping_scheduler.so", "org.tune.scheduler.median_stopping");
}

// A median stopping scheduler set up with settings {"metric", "mode", "options"}.
inline core::SchedulerAdapter make_median(const Json &options, const std::string &metric = "loss",
                                          const std::string &mode = "min") {
    core::SchedulerAdapter scheduler = load_median();
    scheduler.setup(Json{{"metric", metric}, {"mode", mode}, {"options", options}}.dump());
    return scheduler;
}

// A median stopping scheduler judging by training_iteration (the unit tests' clock).
inline core::SchedulerAdapter make_iteration_rule(Json options) {
    options["time_attr"] = "training_iteration";
    return make_median(options);
}

// Ray's test_trial_scheduler.py result(t, rew): time_total_s t, episode_reward_mean rew and
// training_iteration int(t).
inline Json ray_result(double t, double reward) {
    return Json{{"time_total_s", t}, {"episode_reward_mean", reward}, {"training_iteration", static_cast<int>(t)}};
}

// Adds a trial and starts it (choose_trial_to_run with it as the only candidate): it runs,
// and no other trial waits because of it.
inline void start(core::SchedulerAdapter &scheduler, const std::string &trial_id) {
    scheduler.on_trial_add(trial_id, "{}");
    choose(scheduler, {{trial_id, "PENDING"}});
}

// The action alone ("CONTINUE", "PAUSE", "STOP") for result.
inline std::string action(core::SchedulerAdapter &scheduler, const std::string &trial_id, const Json &result) {
    return send_result(scheduler, trial_id, result).action;
}

} // namespace tune::test
