#include "hyperband_options.hpp"

#include <cmath>
#include <string_view>
#include <vector>

#include "band_geometry.hpp"

namespace tune::hyperband {

namespace {

const std::vector<std::string_view> known_keys{"time_attr", "metric", "mode", "max_t", "reduction_factor",
                                               "stop_last_trials"};

} // namespace

HyperbandOptions parse_hyperband_options(const SchedulerSettings &settings) {
    const OptionReader options("hyperband", settings.options, known_keys);

    HyperbandOptions parsed;
    parsed.time_attr = options.non_empty_string("time_attr", parsed.time_attr);
    parsed.metric = options.metric(settings.metric);
    parsed.mode = options.mode("mode", settings.mode);
    if (options.has("max_t")) {
        // Ray asserts max_t > 0, but below 1 every bracket's first milestone int(max_t * eta^-s)
        // is 0 and Ray's on_trial_add retries bracket after bracket for ever.
        const Json &value = options.at("max_t");
        if (!value.is_number() || !std::isfinite(value.get<double>()) || !(value.get<double>() >= 1))
            options.reject("max_t", "a number >= 1", value);
        parsed.max_t = value.get<double>();
    }
    if (options.has("reduction_factor")) {
        // eta = 1 would divide by log(1) = 0.
        const Json &value = options.at("reduction_factor");
        if (!value.is_number() || !std::isfinite(value.get<double>()) || !(value.get<double>() > 1))
            options.reject("reduction_factor", "a number > 1", value);
        parsed.reduction_factor = value.get<double>();
    }
    parsed.stop_last_trials = options.boolean("stop_last_trials", parsed.stop_last_trials);
    // Refuses the max_t and reduction_factor pairs whose bands tune cannot count exactly.
    BandGeometry::check(parsed.max_t, parsed.reduction_factor);
    return parsed;
}

} // namespace tune::hyperband
