// The options of org.tune.scheduler.median_stopping, read and validated from the scheduler
// settings. Defaults are those of Ray Tune's MedianStoppingRule.
#pragma once

#include <cstddef>
#include <string>

#include "tune/plugin.hpp"

namespace tune::median_stopping {

struct MedianOptions {
    std::string time_attr = "time_total_s";
    std::string metric;
    tune_mode_t mode = TUNE_MODE_MIN;
    double grace_period = 60.0;
    std::size_t min_samples_required = 3;
    double min_time_slice = 0.0;
    bool hard_stop = true;
};

// Reads settings.options over settings.metric/mode. Throws ConfigError naming the offending
// key for an unknown key, a wrong type or a value out of range.
MedianOptions parse_median_options(const SchedulerSettings &settings);

} // namespace tune::median_stopping
