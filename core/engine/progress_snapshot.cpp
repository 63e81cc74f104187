#include "core/engine/progress_snapshot.hpp"

namespace tune::core {

ProgressSnapshot progress_snapshot(const Experiment &experiment, const std::vector<std::unique_ptr<Trial>> &trials,
                                   const ResourcePool &pool, SchedulerAdapter &scheduler, double elapsed_s) {
    ProgressSnapshot snapshot;
    snapshot.experiment = experiment.name;
    snapshot.elapsed_s = elapsed_s;
    for (const auto &trial : trials) {
        ++snapshot.counts[status_name(trial->status)];
        snapshot.rows.push_back({"trial_" + trial->id, status_name(trial->status), trial->config,
                                 trial->last_result ? trial->last_result->value() : nlohmann::json()});
    }
    snapshot.cpus_used = pool.used_cpus();
    snapshot.cpus_total = pool.total_cpus();
    snapshot.gpus_used = pool.used_gpus();
    snapshot.gpus_total = pool.total_gpus();
    snapshot.scheduler = scheduler.info().id;
    snapshot.scheduler_state = nlohmann::json::parse(scheduler.describe_state(), nullptr, false);
    if (snapshot.scheduler_state.is_discarded()) snapshot.scheduler_state = nlohmann::json::object();
    snapshot.metric = experiment.metric;
    snapshot.mode = experiment.mode;
    return snapshot;
}

} // namespace tune::core
