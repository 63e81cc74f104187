#include "pbt_options.hpp"

#include <cmath>
#include <string_view>

namespace tune::pbt {

namespace {

const std::vector<std::string_view> known_keys{
    "time_attr",        "metric",           "mode",          "perturbation_interval", "burn_in_period",
    "hyperparam_mutations", "quantile_fraction", "resample_probability", "perturbation_factors", "synch",
    "require_attrs",    "log_config",       "custom_explore_fn"};

double number_within(const OptionReader &options, const std::string &key, double fallback, double lower,
                     double upper, const std::string &expected) {
    if (!options.has(key)) return fallback;
    const Json &value = options.at(key);
    if (!value.is_number() || !(value.get<double>() >= lower && value.get<double>() <= upper))
        options.reject(key, expected, value);
    return value.get<double>();
}

std::vector<Factor> parse_factors(const OptionReader &options, std::vector<Factor> fallback) {
    if (!options.has("perturbation_factors")) return fallback;
    const Json &value = options.at("perturbation_factors");
    const std::string expected = "a non-empty list of numbers > 0";
    if (!value.is_array() || value.empty()) options.reject("perturbation_factors", expected, value);
    std::vector<Factor> factors;
    for (const Json &factor : value) {
        if (!factor.is_number() || !std::isfinite(factor.get<double>()) || !(factor.get<double>() > 0))
            options.reject("perturbation_factors", expected, value);
        // Ray writes the factor as Python prints it: 1.2, 2.0, 2. JSON's shortest form agrees.
        factors.push_back({factor.get<double>(), factor.dump()});
    }
    return factors;
}

} // namespace

PbtOptions parse_pbt_options(const SchedulerSettings &settings) {
    const OptionReader options("PBT", settings.options, known_keys);
    if (options.has("custom_explore_fn"))
        throw ConfigError("PBT option 'custom_explore_fn' is not supported: in Ray it is a Python callable, which a "
                          "tune experiment cannot hold; describe the mutations with 'hyperparam_mutations'");

    PbtOptions parsed;
    parsed.seed = settings.seed;
    parsed.time_attr = options.non_empty_string("time_attr", parsed.time_attr);
    parsed.metric = options.metric(settings.metric);
    parsed.mode = options.mode("mode", settings.mode);
    parsed.perturbation_interval = options.positive_number("perturbation_interval", parsed.perturbation_interval);
    parsed.burn_in_period = options.non_negative_number("burn_in_period", parsed.burn_in_period);
    if (!options.has("hyperparam_mutations"))
        throw ConfigError("PBT needs option 'hyperparam_mutations': a table of the config keys to mutate, each a "
                          "list of values or a search-space domain such as {\"loguniform\": [1e-4, 1e-1]}");
    parsed.hyperparam_mutations = options.at("hyperparam_mutations");
    parsed.mutations = parse_mutations(parsed.hyperparam_mutations);
    // Ray checks 0 <= quantile_fraction <= 0.5: the two quantiles must not overlap.
    parsed.quantile_fraction =
        number_within(options, "quantile_fraction", parsed.quantile_fraction, 0.0, 0.5, "a number in [0, 0.5]");
    parsed.resample_probability = number_within(options, "resample_probability", parsed.resample_probability, 0.0,
                                                1.0, "a number in [0, 1]");
    parsed.perturbation_factors = parse_factors(options, parsed.perturbation_factors);
    parsed.synch = options.boolean("synch", parsed.synch);
    parsed.require_attrs = options.boolean("require_attrs", parsed.require_attrs);
    parsed.log_config = options.boolean("log_config", parsed.log_config);
    return parsed;
}

} // namespace tune::pbt
