// org.example.median_stopping: the median stopping rule. After grace_period iterations, a
// trial whose metric is worse than the median of the values other trials reported at the
// same iteration is stopped. Options: grace_period (integer >= 1, default 2).
#include <algorithm>

#include "median_stopping_scheduler.hpp"

namespace example {

namespace {
constexpr const char *kStateFormat = "org.example.median_stopping/1";
}

void MedianStoppingScheduler::setup(const tune::SchedulerSettings &settings) {
    if (settings.metric.empty()) throw tune::ConfigError("settings key 'metric' is missing: the rule compares it");
    for (const auto &[key, value] : settings.options.items())
        if (key != "grace_period") throw tune::ConfigError("unknown option '" + key + "'; expected grace_period");
    grace_period_ = tune::get_or<long long>(settings.options, "grace_period", 2);
    if (grace_period_ < 1) throw tune::ConfigError("option 'grace_period' must be >= 1");
    metric_ = settings.metric;
    maximize_ = settings.mode == TUNE_MODE_MAX;
    seen_.clear();
}

tune::Decision MedianStoppingScheduler::on_trial_result(const std::string &, const tune::Json &result) {
    if (metric_.empty()) throw tune::StateError("on_trial_result before setup");
    const long long iteration = tune::require<long long>(result, "training_iteration");
    double value = tune::require<double>(result, metric_);
    if (maximize_) value = -value; // compare as "lower is better"
    std::vector<double> &others = seen_[iteration];
    tune::Decision decision = tune::Decision::keep_going();
    if (iteration > grace_period_ && others.size() >= 2) {
        std::vector<double> sorted = others;
        std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
        const double median = sorted[sorted.size() / 2];
        if (value > median) decision = tune::Decision::stop({{"median", maximize_ ? -median : median}});
    }
    others.push_back(value);
    return decision;
}

tune::Json MedianStoppingScheduler::describe_state() {
    return {{"iterations_seen", seen_.size()}, {"grace_period", grace_period_}};
}

std::string MedianStoppingScheduler::save() {
    return tune::Json{{"format", kStateFormat}, {"seen", seen_}}.dump();
}

void MedianStoppingScheduler::restore(const std::string &text) {
    tune::Json state = tune::Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!state.is_object() || state.value("format", "") != kStateFormat || !state.contains("seen"))
        throw tune::StateError(std::string("not a median_stopping state (expected \"format\": \"") + kStateFormat + "\")");
    try {
        seen_ = state["seen"].get<std::map<long long, std::vector<double>>>();
    } catch (const tune::Json::exception &e) {
        throw tune::StateError(std::string("corrupt median_stopping state: ") + e.what());
    }
}

} // namespace example
