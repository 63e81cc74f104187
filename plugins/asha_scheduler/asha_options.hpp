// The options of org.tune.scheduler.asha, read and validated from the scheduler settings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "tune/plugin.hpp"

namespace tune::asha {

// "stopping": Ray Tune's AsyncHyperBandScheduler (a trial below a rung's cutoff stops).
// "promotion": the ASHA paper's promotion scheme (a trial pauses at each rung until it is in
// the rung's top 1/reduction_factor).
enum class Variant { stopping, promotion };

const char *variant_name(Variant variant);

struct AshaOptions {
    std::string time_attr = "training_iteration";
    std::string metric;
    tune_mode_t mode = TUNE_MODE_MIN;
    double max_t = 100;
    double grace_period = 1;
    double reduction_factor = 4;
    std::size_t brackets = 1;
    bool stop_last_trials = true;
    std::uint64_t seed = 0;
    Variant variant = Variant::stopping;
};

// Reads settings.options over settings.metric/mode. Throws ConfigError naming the offending
// key for an unknown key, a wrong type or a value out of range.
AshaOptions parse_asha_options(const SchedulerSettings &settings);

} // namespace tune::asha
