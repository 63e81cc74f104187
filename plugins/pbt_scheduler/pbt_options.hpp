// The options of org.tune.scheduler.pbt, read and validated from the scheduler settings.
// Defaults are those of Ray Tune's PopulationBasedTraining.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pbt_mutations.hpp"
#include "tune/plugin.hpp"

namespace tune::pbt {

// A perturbation factor and how Ray writes it in an operation ("* 1.2").
struct Factor {
    double value;
    std::string text;
};

struct PbtOptions {
    std::string time_attr = "time_total_s";
    std::string metric;
    tune_mode_t mode = TUNE_MODE_MIN;
    double perturbation_interval = 60.0;
    double burn_in_period = 0.0;
    Json hyperparam_mutations; // as given, for describe_state
    std::vector<Mutation> mutations;
    double quantile_fraction = 0.25;
    double resample_probability = 0.25;
    std::vector<Factor> perturbation_factors{{1.2, "1.2"}, {0.8, "0.8"}};
    bool synch = false;
    bool require_attrs = true;
    bool log_config = true;
    std::uint64_t seed = 0; // the experiment's seed: donor choice, resampling, factors, shifts
};

// Reads settings.options over settings.metric/mode/seed. Throws ConfigError naming the
// offending key for an unknown key, a wrong type or a value out of range.
PbtOptions parse_pbt_options(const SchedulerSettings &settings);

} // namespace tune::pbt
