#include "core/engine/trial_state_codec.hpp"

namespace tune::core {

TrialState encode_trial(const Trial &trial, const std::filesystem::path &experiment_dir) {
    TrialState t;
    t.id = trial.id;
    t.status = trial.interrupted ? "RUNNING" : status_name(trial.status);
    t.stop_reason = trial.stop_reason;
    if (trial.run && trial.run->ending != TrialEnding::None) {
        if (trial.run->ending == TrialEnding::Stop) t.status = "STOPPING";
        else if (!trial.run->interruption) t.status = "PAUSED";
        t.stop_reason = trial.run->end_reason;
    }
    t.config_json = trial.config.dump();
    t.seed = trial.seed;
    t.last_result_json = trial.last_result ? trial.last_result->text() : "";
    t.iteration = trial.iteration;
    t.time_total_s = trial.time_total_s;
    for (const auto &c : trial.checkpoints)
        t.checkpoints.push_back({c.iteration, c.dir.lexically_relative(experiment_dir).string(), c.score, c.time_total_s});
    t.error = trial.error;
    t.failures = trial.failures;
    for (const LineageStep &step : trial.lineage)
        t.lineage.push_back({step.iteration, step.donor, step.donor_iteration, step.old_config.dump(),
                             step.new_config.dump(), step.time});
    if (const auto &exploit = trial.pending_exploit)
        t.pending_exploit = PendingExploitState{exploit->donor, exploit->config.dump(), exploit->detail_json,
                                                exploit->log_config};
    return t;
}

std::unique_ptr<Trial> decode_trial(const TrialState &saved, const std::filesystem::path &experiment_dir) {
    auto trial = std::make_unique<Trial>();
    trial->id = saved.id;
    trial->dir = experiment_dir / ("trial_" + saved.id);
    trial->config = nlohmann::json::parse(saved.config_json);
    trial->seed = saved.seed;
    if (!saved.last_result_json.empty()) trial->last_result = ResultLine::from_text(saved.last_result_json);
    trial->iteration = saved.iteration;
    trial->time_total_s = saved.time_total_s;
    trial->stop_reason = saved.stop_reason;
    trial->error = saved.error;
    trial->failures = saved.failures;
    for (const LineageState &step : saved.lineage)
        trial->lineage.push_back({step.iteration, step.donor, step.donor_iteration,
                                  nlohmann::json::parse(step.old_config_json),
                                  nlohmann::json::parse(step.new_config_json), step.time});
    if (const auto &exploit = saved.pending_exploit)
        trial->pending_exploit = PendingExploit{exploit->donor, nlohmann::json::parse(exploit->config_json),
                                                exploit->detail_json, exploit->log_config};
    if (saved.status == "TERMINATED" || saved.status == "STOPPING") trial->status = TrialStatus::Terminated;
    else if (saved.status == "ERROR") trial->status = TrialStatus::Error;
    else if (saved.status == "PAUSED") trial->status = TrialStatus::Paused;
    else trial->status = TrialStatus::Pending; // it was running: it restarts from its latest checkpoint
    if (!trial->finished()) trial->stop_reason.clear();
    return trial;
}

TrialSummary summarize_trial(const Trial &trial) {
    TrialSummary t;
    t.id = trial.id;
    t.dir = trial.dir.filename().string();
    t.status = status_name(trial.status);
    t.stop_reason = trial.stop_reason;
    t.error = trial.error;
    t.failures = trial.failures;
    t.config = trial.config;
    t.last_result = trial.last_result ? trial.last_result->value() : nlohmann::json();
    t.iteration = trial.iteration;
    if (const auto *checkpoint = trial.latest_checkpoint()) t.checkpoint = checkpoint->dir.string();
    for (const LineageStep &step : trial.lineage)
        t.lineage.push_back({{"iteration", step.iteration},
                             {"donor", step.donor},
                             {"donor_iteration", step.donor_iteration},
                             {"old_config", step.old_config},
                             {"new_config", step.new_config},
                             {"time", step.time}});
    return t;
}

} // namespace tune::core
