// The whole Experiment as JSON and back: experiment.json in the results folder, and the
// definition a saved experiment state resumes with (core/state).
#pragma once

#include <nlohmann/json.hpp>

#include "core/config/experiment.hpp"

namespace tune::core {

nlohmann::json experiment_to_json(const Experiment &experiment);

// The inverse of experiment_to_json. Throws std::runtime_error naming the key that is
// missing or has the wrong type.
Experiment experiment_from_json(const nlohmann::json &json);

} // namespace tune::core
