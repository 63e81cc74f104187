#include "core/engine/stop_criteria.hpp"

#include <fmt/format.h>

#include "core/report/trial_table.hpp"

namespace tune::core {

std::string stop_reason(const StopCriteria &stop, const ResultAnnotator &result) {
    if (result.trainable_done()) return "the trainable reported done";
    if (stop.training_iteration) {
        const auto iteration = static_cast<long long>(result.number("training_iteration").value_or(0.0));
        if (iteration >= *stop.training_iteration)
            return fmt::format("training_iteration {} >= {}", iteration, *stop.training_iteration);
    }
    if (stop.time_total_s) {
        const double time_total_s = result.number("time_total_s").value_or(0.0);
        if (time_total_s >= *stop.time_total_s)
            return fmt::format("time_total_s {} >= {}", format_number(time_total_s), format_number(*stop.time_total_s));
    }
    for (const auto &[metric, threshold] : stop.metrics) {
        const auto value = result.number(metric);
        if (!value) continue;
        if (threshold.direction == MetricThreshold::Direction::AtLeast && *value >= threshold.value)
            return fmt::format("{} {} >= {}", metric, format_number(*value), format_number(threshold.value));
        if (threshold.direction == MetricThreshold::Direction::AtMost && *value <= threshold.value)
            return fmt::format("{} {} <= {}", metric, format_number(*value), format_number(threshold.value));
    }
    return {};
}

} // namespace tune::core
