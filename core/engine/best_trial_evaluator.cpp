#include "core/engine/best_trial_evaluator.hpp"

#include <spdlog/spdlog.h>

#include "tune/types.h"

namespace tune::core {

namespace {

nlohmann::json wait_for_evaluation(TrialExecutor &executor, const std::string &trial_id,
                                   const std::atomic<int> &stop_requests) {
    std::vector<TrialEvent> events;
    while (stop_requests.load() == 0) {
        events.clear();
        executor.poll(0.2, events);
        for (const TrialEvent &event : events) {
            if (event.trial_id != trial_id) continue;
            switch (event.kind) {
            case TrialEvent::Kind::Evaluated: {
                auto metrics = nlohmann::json::parse(event.text, nullptr, false);
                if (metrics.is_object()) return metrics;
                spdlog::warn("evaluating the best checkpoint gave no JSON object: {}", event.text);
                return nullptr;
            }
            case TrialEvent::Kind::Failed:
                if (event.status != TUNE_ERROR_NOT_SUPPORTED)
                    spdlog::warn("evaluating the best checkpoint failed: {}", event.text);
                return nullptr;
            case TrialEvent::Kind::Lost: spdlog::warn("evaluating the best checkpoint failed: {}", event.text); return nullptr;
            default: break; // Started
            }
        }
    }
    return nullptr;
}

} // namespace

nlohmann::json evaluate_checkpoint(TrialExecutor &executor, const TrialLaunch &launch,
                                   const std::string &checkpoint_dir, const std::atomic<int> &stop_requests) {
    executor.start(launch);
    executor.evaluate(launch.trial_id, checkpoint_dir);
    nlohmann::json metrics = wait_for_evaluation(executor, launch.trial_id, stop_requests);
    executor.release(launch.trial_id);
    return metrics;
}

} // namespace tune::core
