#include "core/config/plugin_settings.hpp"

namespace tune::core {

const char *mode_name(tune_mode_t mode) { return mode == TUNE_MODE_MAX ? "max" : "min"; }

nlohmann::json searcher_settings(const Experiment &experiment) {
    return {{"metric", experiment.metric},           {"mode", mode_name(experiment.mode)},
            {"seed", experiment.seed},               {"num_samples", experiment.num_samples},
            {"space", experiment.search_space},      {"options", experiment.searcher.options}};
}

nlohmann::json scheduler_settings(const Experiment &experiment) {
    return {{"metric", experiment.metric},
            {"mode", mode_name(experiment.mode)},
            {"seed", experiment.seed},
            {"options", experiment.scheduler.options}};
}

} // namespace tune::core
