#include "asha_options.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

namespace tune::asha {

namespace {

constexpr std::array<std::string_view, 10> known_keys{
    "time_attr", "metric", "mode", "max_t", "grace_period", "reduction_factor", "brackets", "stop_last_trials",
    "seed", "variant"};

[[noreturn]] void reject(const std::string &key, const std::string &expected, const Json &value) {
    throw ConfigError("ASHA option '" + key + "' must be " + expected + ", got " + value.dump());
}

double positive_number(const Json &options, const std::string &key, double fallback) {
    if (!options.contains(key)) return fallback;
    const Json &value = options[key];
    if (!value.is_number() || !std::isfinite(value.get<double>()) || !(value.get<double>() > 0))
        reject(key, "a number > 0", value);
    return value.get<double>();
}

std::string non_empty_string(const Json &options, const std::string &key, const std::string &fallback) {
    if (!options.contains(key)) return fallback;
    const Json &value = options[key];
    if (!value.is_string() || value.get<std::string>().empty()) reject(key, "a non-empty string", value);
    return value.get<std::string>();
}

} // namespace

const char *variant_name(Variant variant) {
    return variant == Variant::promotion ? "promotion" : "stopping";
}

AshaOptions parse_asha_options(const SchedulerSettings &settings) {
    const Json &options = settings.options;
    for (const auto &item : options.items()) {
        if (std::find(known_keys.begin(), known_keys.end(), item.key()) != known_keys.end()) continue;
        std::string known;
        for (std::string_view key : known_keys) known += (known.empty() ? "" : ", ") + std::string(key);
        throw ConfigError("unknown ASHA option '" + item.key() + "'; known options: " + known);
    }

    AshaOptions parsed;
    parsed.seed = settings.seed; // the experiment's seed, unless options.seed overrides it
    parsed.time_attr = non_empty_string(options, "time_attr", parsed.time_attr);
    parsed.metric = non_empty_string(options, "metric", settings.metric);
    if (parsed.metric.empty())
        throw ConfigError("ASHA needs a metric: set 'metric' in the settings or option 'metric'");

    parsed.mode = settings.mode;
    if (options.contains("mode")) {
        const Json &mode = options["mode"];
        if (mode == "min") parsed.mode = TUNE_MODE_MIN;
        else if (mode == "max") parsed.mode = TUNE_MODE_MAX;
        else reject("mode", "\"min\" or \"max\"", mode);
    }

    parsed.max_t = positive_number(options, "max_t", parsed.max_t);
    parsed.grace_period = positive_number(options, "grace_period", parsed.grace_period);
    if (parsed.grace_period > parsed.max_t)
        throw ConfigError("ASHA option 'grace_period' (" + Json(parsed.grace_period).dump() +
                          ") must be <= max_t (" + Json(parsed.max_t).dump() + ")");
    if (options.contains("reduction_factor")) {
        const Json &value = options["reduction_factor"];
        if (!value.is_number() || !std::isfinite(value.get<double>()) || !(value.get<double>() > 1))
            reject("reduction_factor", "a number > 1", value);
        parsed.reduction_factor = value.get<double>();
    }
    if (options.contains("brackets")) {
        const Json &value = options["brackets"];
        if (!value.is_number_integer() || value.get<long long>() < 1) reject("brackets", "an integer >= 1", value);
        parsed.brackets = value.get<std::size_t>();
    }
    if (options.contains("stop_last_trials")) {
        const Json &value = options["stop_last_trials"];
        if (!value.is_boolean()) reject("stop_last_trials", "a boolean", value);
        parsed.stop_last_trials = value.get<bool>();
    }
    if (options.contains("seed")) {
        const Json &value = options["seed"];
        if (!value.is_number_unsigned()) reject("seed", "an integer >= 0", value);
        parsed.seed = value.get<std::uint64_t>();
    }
    if (options.contains("variant")) {
        const Json &value = options["variant"];
        if (value == "stopping") parsed.variant = Variant::stopping;
        else if (value == "promotion") parsed.variant = Variant::promotion;
        else reject("variant", "\"stopping\" or \"promotion\"", value);
    }
    // A promoted trial never runs past max_t: there is no rung above it to promote to.
    if (parsed.variant == Variant::promotion && !parsed.stop_last_trials)
        throw ConfigError("ASHA option 'stop_last_trials' must be true with variant \"promotion\": "
                          "trials always stop at max_t there");
    return parsed;
}

} // namespace tune::asha
