#include "tpe_options.hpp"

#include <algorithm>
#include <cmath>

#include "tune/sdk/options.hpp"

namespace tune::tpe {
namespace {

const std::vector<std::string_view> kKnown = {"n_startup_trials",
                                              "n_ei_candidates",
                                              "gamma",
                                              "gamma_max",
                                              "weights",
                                              "prior_weight",
                                              "consider_prior",
                                              "consider_magic_clip",
                                              "consider_endpoints",
                                              "multivariate",
                                              "constant_liar",
                                              "normalized_density",
                                              "metric",
                                              "mode"};

long long integer_at_least(const OptionReader &reader, const std::string &key, long long fallback, long long least) {
    if (!reader.has(key)) return fallback;
    const Json &value = reader.at(key);
    if (!value.is_number_integer() || value.get<long long>() < least)
        reader.reject(key, "an integer >= " + std::to_string(least), value);
    return value.get<long long>();
}

} // namespace

TpeOptions TpeOptions::parse(const Json &options, const std::string &metric, tune_mode_t mode) {
    const OptionReader reader("TPE", options, kKnown);
    TpeOptions o;
    o.n_startup_trials = integer_at_least(reader, "n_startup_trials", o.n_startup_trials, 0);
    o.n_ei_candidates = integer_at_least(reader, "n_ei_candidates", o.n_ei_candidates, 1);
    o.gamma = reader.positive_number("gamma", o.gamma);
    if (o.gamma > 1.0) reader.reject("gamma", "a number in (0, 1]", reader.at("gamma"));
    o.gamma_max = integer_at_least(reader, "gamma_max", o.gamma_max, 1);
    o.weights = reader.non_empty_string("weights", o.weights);
    if (o.weights != "default" && o.weights != "uniform")
        reader.reject("weights", "\"default\" or \"uniform\"", reader.at("weights"));
    o.estimator.prior_weight = reader.positive_number("prior_weight", o.estimator.prior_weight);
    o.estimator.consider_prior = reader.boolean("consider_prior", o.estimator.consider_prior);
    o.estimator.consider_magic_clip = reader.boolean("consider_magic_clip", o.estimator.consider_magic_clip);
    o.estimator.consider_endpoints = reader.boolean("consider_endpoints", o.estimator.consider_endpoints);
    o.estimator.multivariate = reader.boolean("multivariate", o.estimator.multivariate);
    o.constant_liar = reader.boolean("constant_liar", o.constant_liar);
    o.estimator.normalized_density = reader.boolean("normalized_density", o.estimator.normalized_density);
    o.metric = reader.metric(metric);
    o.maximize = reader.mode("mode", mode) == TUNE_MODE_MAX;
    return o;
}

std::size_t TpeOptions::n_below(std::size_t n) const {
    const auto below = static_cast<long long>(std::ceil(gamma * static_cast<double>(n)));
    return static_cast<std::size_t>(std::min(below, gamma_max));
}

std::vector<double> TpeOptions::observation_weights(std::size_t n) const {
    std::vector<double> w(n, 1.0);
    constexpr std::size_t flat = 25; // Optuna's constant, whatever gamma is
    if (weights == "uniform" || n <= flat) return w;
    // numpy.linspace(1 / n, 1, n - 25) followed by 25 ones.
    const std::size_t ramp = n - flat;
    const double start = 1.0 / static_cast<double>(n);
    if (ramp == 1) {
        w[0] = start;
        return w;
    }
    const double step = (1.0 - start) / static_cast<double>(ramp - 1);
    for (std::size_t i = 0; i < ramp; ++i) w[i] = start + static_cast<double>(i) * step;
    w[ramp - 1] = 1.0;
    return w;
}

Json TpeOptions::to_json() const {
    return {{"n_startup_trials", n_startup_trials},
            {"n_ei_candidates", n_ei_candidates},
            {"gamma", gamma},
            {"gamma_max", gamma_max},
            {"weights", weights},
            {"prior_weight", estimator.prior_weight},
            {"consider_prior", estimator.consider_prior},
            {"consider_magic_clip", estimator.consider_magic_clip},
            {"consider_endpoints", estimator.consider_endpoints},
            {"multivariate", estimator.multivariate},
            {"constant_liar", constant_liar},
            {"normalized_density", estimator.normalized_density},
            {"metric", metric},
            {"mode", maximize ? "max" : "min"}};
}

} // namespace tune::tpe
