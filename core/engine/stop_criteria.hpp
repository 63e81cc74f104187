// The experiment's [stop] criteria, applied to each result.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/config/experiment.hpp"

namespace tune::core {

// Why result ends its trial ("training_iteration 10 >= 10", "the trainable reported done"),
// or "" if it does not. result is the annotated result (training_iteration, time_total_s set).
std::string stop_reason(const StopCriteria &stop, const nlohmann::json &result);

} // namespace tune::core
