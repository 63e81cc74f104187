// Like the tutorial's test_best_model: scores the best trial's latest checkpoint on held-out
// data with the trainable's evaluate extension, on a worker of the experiment's executor
// (an idle one is reused, so the trainable's libraries are already loaded).
#pragma once

#include <atomic>

#include <nlohmann/json.hpp>

#include "core/execution/trial_executor.hpp"

namespace tune::core {

// Starts launch (a finished trial, not restored) and evaluates checkpoint_dir on it. Returns
// the trainable's metrics, or null if the trainable has no evaluate extension, or it failed,
// or the user asked to stop (stop_requests > 0); a failure is logged as a warning.
nlohmann::json evaluate_checkpoint(TrialExecutor &executor, const TrialLaunch &launch,
                                   const std::string &checkpoint_dir, const std::atomic<int> &stop_requests);

} // namespace tune::core
