// The settings JSON that searcher and scheduler plugins receive in setup(), built from an
// Experiment in one place so that validation and the engine pass exactly the same thing.
#pragma once

#include <nlohmann/json.hpp>

#include "core/config/experiment.hpp"

namespace tune::core {

// {"metric", "mode", "seed", "num_samples", "space", "options"} (tune/searcher.h)
nlohmann::json searcher_settings(const Experiment &experiment);

// {"metric", "mode", "seed", "options"} (tune/scheduler.h)
nlohmann::json scheduler_settings(const Experiment &experiment);

const char *mode_name(tune_mode_t mode);

} // namespace tune::core
