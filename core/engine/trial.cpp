#include "core/engine/trial.hpp"

#include <algorithm>

namespace tune::core {

namespace {

void merge_into(nlohmann::json &target, const nlohmann::json &patch) {
    for (const auto &item : patch.items()) {
        if (item.value().is_object() && target.contains(item.key()) && target[item.key()].is_object())
            merge_into(target[item.key()], item.value());
        else
            target[item.key()] = item.value();
    }
}

} // namespace

nlohmann::json trainable_config(const nlohmann::json &constants, const Trial &trial) {
    nlohmann::json config = constants.is_object() ? constants : nlohmann::json::object();
    merge_into(config, trial.config);
    return config;
}

LogExtent log_extent(const Trial &trial, long long resume_from) {
    if (trial.lineage.empty()) return LogExtent::through(resume_from);
    // Segment i holds the results after its start (0, then each donor's iteration) through the
    // iteration the trial had when it was exploited.
    long long results = 0, start = 0;
    for (const LineageStep &step : trial.lineage) {
        results += std::max(0LL, step.iteration - start);
        start = step.donor_iteration;
    }
    results += std::max(0LL, resume_from - start);
    return {static_cast<std::size_t>(results), trial.lineage.size(), resume_from};
}

std::uint64_t trial_seed(std::uint64_t experiment_seed, std::size_t index) {
    std::uint64_t z = experiment_seed + 0x9E3779B97F4A7C15ULL * (index + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

const char *status_name(TrialStatus status) {
    switch (status) {
    case TrialStatus::Pending: return "PENDING";
    case TrialStatus::Running: return "RUNNING";
    case TrialStatus::Paused: return "PAUSED";
    case TrialStatus::Terminated: return "TERMINATED";
    case TrialStatus::Error: return "ERROR";
    }
    return "UNKNOWN";
}

} // namespace tune::core
