#include "asha_options.hpp"

#include <cmath>
#include <string_view>
#include <vector>

namespace tune::asha {

namespace {

// Bounds on what the options may ask the scheduler to hold, so that no setting makes it
// allocate without limit: a rung per power of reduction_factor between grace_period and max_t.
constexpr double kMaxRungs = 1000;
constexpr std::size_t kMaxBrackets = 1000;

const std::vector<std::string_view> known_keys{"time_attr", "metric", "mode", "max_t", "grace_period",
                                               "reduction_factor", "brackets", "stop_last_trials", "seed", "variant"};

} // namespace

const char *variant_name(Variant variant) {
    return variant == Variant::promotion ? "promotion" : "stopping";
}

AshaOptions parse_asha_options(const SchedulerSettings &settings) {
    const OptionReader options("ASHA", settings.options, known_keys);

    AshaOptions parsed;
    parsed.seed = settings.seed; // the experiment's seed, unless options.seed overrides it
    parsed.time_attr = options.non_empty_string("time_attr", parsed.time_attr);
    parsed.metric = options.metric(settings.metric);

    parsed.mode = options.mode("mode", settings.mode);

    parsed.max_t = options.positive_number("max_t", parsed.max_t);
    parsed.grace_period = options.positive_number("grace_period", parsed.grace_period);
    if (parsed.grace_period > parsed.max_t)
        throw ConfigError("ASHA option 'grace_period' (" + Json(parsed.grace_period).dump() +
                          ") must be <= max_t (" + Json(parsed.max_t).dump() + ")");
    if (options.has("reduction_factor")) {
        const Json &value = options.at("reduction_factor");
        if (!value.is_number() || !std::isfinite(value.get<double>()) || !(value.get<double>() > 1))
            options.reject("reduction_factor", "a number > 1", value);
        parsed.reduction_factor = value.get<double>();
    }
    if (options.has("brackets")) {
        const Json &value = options.at("brackets");
        if (!value.is_number_integer() || value.get<long long>() < 1)
            options.reject("brackets", "an integer >= 1", value);
        parsed.brackets = value.get<std::size_t>();
        if (parsed.brackets > kMaxBrackets)
            throw ConfigError("ASHA option 'brackets' (" + value.dump() + ") must be at most " +
                              std::to_string(kMaxBrackets));
    }
    // The first bracket has the most rungs; Bracket counts them the same way.
    const double rungs = std::trunc(std::log(parsed.max_t / parsed.grace_period) / std::log(parsed.reduction_factor) + 1.0);
    if (rungs > kMaxRungs)
        throw ConfigError("ASHA options max_t (" + Json(parsed.max_t).dump() + "), grace_period (" +
                          Json(parsed.grace_period).dump() + ") and reduction_factor (" +
                          Json(parsed.reduction_factor).dump() + ") make " + Json(rungs).dump() +
                          " rungs, more than the " + std::to_string(static_cast<int>(kMaxRungs)) +
                          " supported: raise reduction_factor or grace_period, or lower max_t");
    parsed.stop_last_trials = options.boolean("stop_last_trials", parsed.stop_last_trials);
    if (options.has("seed")) {
        const Json &value = options.at("seed");
        if (!value.is_number_unsigned()) options.reject("seed", "an integer >= 0", value);
        parsed.seed = value.get<std::uint64_t>();
    }
    if (options.has("variant")) {
        const Json &value = options.at("variant");
        if (value == "stopping") parsed.variant = Variant::stopping;
        else if (value == "promotion") parsed.variant = Variant::promotion;
        else options.reject("variant", "\"stopping\" or \"promotion\"", value);
    }
    // A promoted trial never runs past max_t: there is no rung above it to promote to.
    if (parsed.variant == Variant::promotion && !parsed.stop_last_trials)
        throw ConfigError("ASHA option 'stop_last_trials' must be true with variant \"promotion\": "
                          "trials always stop at max_t there");
    return parsed;
}

} // namespace tune::asha
