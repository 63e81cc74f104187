// The options of org.tune.scheduler.hyperband, read and validated from the scheduler settings.
// Defaults are those of Ray Tune's HyperBandScheduler.
#pragma once

#include <string>

#include "tune/plugin.hpp"

namespace tune::hyperband {

struct HyperbandOptions {
    std::string time_attr = "training_iteration";
    std::string metric;
    tune_mode_t mode = TUNE_MODE_MIN;
    double max_t = 81;
    double reduction_factor = 3; // Ray's eta
    bool stop_last_trials = true;
};

// Reads settings.options over settings.metric/mode. Throws ConfigError naming the offending
// key for an unknown key, a wrong type or a value out of range.
HyperbandOptions parse_hyperband_options(const SchedulerSettings &settings);

} // namespace tune::hyperband
