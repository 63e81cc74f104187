#include "core/engine/stop_criteria.hpp"

#include <fmt/format.h>

#include "core/report/trial_table.hpp"

namespace tune::core {

std::string stop_reason(const StopCriteria &stop, const nlohmann::json &result) {
    const auto done = result.find("done");
    if (done != result.end() && done->is_boolean() && done->get<bool>()) return "the trainable reported done";
    const long long iteration = result.value("training_iteration", 0LL);
    const double time_total_s = result.value("time_total_s", 0.0);
    if (stop.training_iteration && iteration >= *stop.training_iteration)
        return fmt::format("training_iteration {} >= {}", iteration, *stop.training_iteration);
    if (stop.time_total_s && time_total_s >= *stop.time_total_s)
        return fmt::format("time_total_s {} >= {}", format_number(time_total_s), format_number(*stop.time_total_s));
    for (const auto &[metric, threshold] : stop.metrics) {
        auto it = result.find(metric);
        if (it == result.end() || !it->is_number()) continue;
        const double value = it->get<double>();
        if (threshold.direction == MetricThreshold::Direction::AtLeast && value >= threshold.value)
            return fmt::format("{} {} >= {}", metric, format_number(value), format_number(threshold.value));
        if (threshold.direction == MetricThreshold::Direction::AtMost && value <= threshold.value)
            return fmt::format("{} {} <= {}", metric, format_number(value), format_number(threshold.value));
    }
    return {};
}

} // namespace tune::core
