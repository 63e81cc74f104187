// What the live progress shows at one moment, taken from the controller's trials.
#pragma once

#include <memory>
#include <vector>

#include "core/config/experiment.hpp"
#include "core/engine/resource_pool.hpp"
#include "core/engine/trial.hpp"
#include "core/plugin/scheduler_adapter.hpp"
#include "core/report/progress_reporter.hpp"

namespace tune::core {

// Counts, rows, resources in use and the scheduler's describe_state at elapsed_s.
ProgressSnapshot progress_snapshot(const Experiment &experiment, const std::vector<std::unique_ptr<Trial>> &trials,
                                   const ResourcePool &pool, SchedulerAdapter &scheduler, double elapsed_s);

} // namespace tune::core
