#include "median_options.hpp"

#include <string_view>
#include <vector>

namespace tune::median_stopping {

namespace {

const std::vector<std::string_view> known_keys{"time_attr",      "metric",         "mode",     "grace_period",
                                               "min_samples_required", "min_time_slice", "hard_stop"};

} // namespace

MedianOptions parse_median_options(const SchedulerSettings &settings) {
    const OptionReader options("median_stopping", settings.options, known_keys);

    MedianOptions parsed;
    parsed.time_attr = options.non_empty_string("time_attr", parsed.time_attr);
    parsed.metric = options.metric(settings.metric);

    parsed.mode = options.mode("mode", settings.mode);

    // A finite number >= 0 (Ray takes any float; a negative or infinite one has no meaning here).
    parsed.grace_period = options.non_negative_number("grace_period", parsed.grace_period);
    parsed.min_time_slice = options.non_negative_number("min_time_slice", parsed.min_time_slice);
    if (options.has("min_samples_required")) {
        // At least one other trial: Ray would take the median of nothing (NaN) and stop every trial.
        const Json &value = options.at("min_samples_required");
        if (!value.is_number_integer() || value.get<long long>() < 1)
            options.reject("min_samples_required", "an integer >= 1", value);
        parsed.min_samples_required = value.get<std::size_t>();
    }
    parsed.hard_stop = options.boolean("hard_stop", parsed.hard_stop);
    return parsed;
}

} // namespace tune::median_stopping
