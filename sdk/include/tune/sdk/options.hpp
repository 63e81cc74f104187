// Reading a plugin's options object (the `options` of its settings): every key must be one
// the plugin knows, and every value of the kind it expects; each error is a ConfigError that
// names the plugin and the key, which the host shows against the experiment file. Header-only.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tune/sdk/common.hpp"

namespace tune {

class OptionReader {
public:
    // plugin: how messages name the plugin ("ASHA"). Throws ConfigError for a key not in
    // known: "unknown ASHA option 'max_tt'; known options: time_attr, metric, ...".
    OptionReader(std::string plugin, const Json &options, std::vector<std::string_view> known)
        : plugin_(std::move(plugin)), options_(options) {
        for (const auto &item : options_.items()) {
            if (std::find(known.begin(), known.end(), item.key()) != known.end()) continue;
            std::string names;
            for (std::string_view key : known) names += (names.empty() ? "" : ", ") + std::string(key);
            throw ConfigError("unknown " + plugin_ + " option '" + item.key() + "'; known options: " + names);
        }
    }

    bool has(const std::string &key) const { return options_.contains(key); }
    const Json &at(const std::string &key) const { return options_.at(key); }

    // "ASHA option 'max_t' must be a number > 0, got "x"".
    [[noreturn]] void reject(const std::string &key, const std::string &expected, const Json &value) const {
        throw ConfigError(plugin_ + " option '" + key + "' must be " + expected + ", got " + value.dump());
    }

    std::string non_empty_string(const std::string &key, const std::string &fallback) const {
        if (!has(key)) return fallback;
        const Json &value = at(key);
        if (!value.is_string() || value.get<std::string>().empty()) reject(key, "a non-empty string", value);
        return value.get<std::string>();
    }

    double positive_number(const std::string &key, double fallback) const {
        if (!has(key)) return fallback;
        const Json &value = at(key);
        if (!value.is_number() || !std::isfinite(value.get<double>()) || !(value.get<double>() > 0))
            reject(key, "a number > 0", value);
        return value.get<double>();
    }

    double non_negative_number(const std::string &key, double fallback) const {
        if (!has(key)) return fallback;
        const Json &value = at(key);
        if (!value.is_number() || !std::isfinite(value.get<double>()) || !(value.get<double>() >= 0))
            reject(key, "a finite number >= 0", value);
        return value.get<double>();
    }

    bool boolean(const std::string &key, bool fallback) const {
        if (!has(key)) return fallback;
        const Json &value = at(key);
        if (!value.is_boolean()) reject(key, "a boolean", value);
        return value.get<bool>();
    }

    // The metric to optimise: option `metric`, else the settings' metric (fallback). Throws
    // "ASHA needs a metric: ..." when neither is set.
    std::string metric(const std::string &fallback) const {
        std::string metric = non_empty_string("metric", fallback);
        if (metric.empty())
            throw ConfigError(plugin_ + " needs a metric: set 'metric' in the settings or option 'metric'");
        return metric;
    }

    // "min" or "max", else fallback.
    tune_mode_t mode(const std::string &key, tune_mode_t fallback) const {
        if (!has(key)) return fallback;
        const Json &value = at(key);
        if (value == "min") return TUNE_MODE_MIN;
        if (value == "max") return TUNE_MODE_MAX;
        reject(key, "\"min\" or \"max\"", value);
    }

private:
    std::string plugin_;
    const Json &options_;
};

} // namespace tune
