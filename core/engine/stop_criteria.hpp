// The experiment's [stop] criteria, applied to each result.
#pragma once

#include <string>

#include "core/config/experiment.hpp"
#include "core/engine/result_annotator.hpp"

namespace tune::core {

// Why the annotated result ends its trial ("training_iteration 10 >= 10", "the trainable
// reported done"), or "" if it does not.
std::string stop_reason(const StopCriteria &stop, const ResultAnnotator &result);

} // namespace tune::core
