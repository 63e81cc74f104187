// The options of org.tune.searcher.tpe ([searcher.options]), with Optuna's TPESampler defaults
// except constant_liar, and the gamma and weights functions they define.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "parzen_estimator.hpp"
#include "tune/sdk/common.hpp"

namespace tune::tpe {

struct TpeOptions {
    long long n_startup_trials = 10; // random configs until this many trials finished
    long long n_ei_candidates = 24;  // candidates drawn from l(x) per suggestion
    double gamma = 0.1;              // n_below = min(ceil(gamma * n), gamma_max)
    long long gamma_max = 25;
    std::string weights = "default"; // "default": Optuna's default_weights ramp; "uniform": all 1
    EstimatorOptions estimator;      // consider_prior, prior_weight, consider_magic_clip, consider_endpoints,
                                     // multivariate, normalized_density
    bool constant_liar = true;       // running trials count as the worst observations (Optuna: false)
    std::string metric;              // the settings' metric unless the option overrides it
    bool maximize = false;

    // Reads the options object; throws ConfigError naming the key for an unknown option or a
    // bad value. metric and mode are the settings' (the options may override them).
    static TpeOptions parse(const Json &options, const std::string &metric, tune_mode_t mode);

    // How many of n finished trials form l(x) (Optuna's default_gamma with these constants).
    std::size_t n_below(std::size_t n) const;

    // The weights of n observations, oldest first (Optuna's default_weights: the newest 25 get
    // 1, the older ones a ramp from 1/n up to 1; "uniform": all 1).
    std::vector<double> observation_weights(std::size_t n) const;

    // The options as JSON, for messages and tests.
    Json to_json() const;
};

} // namespace tune::tpe
