// Everything needed to continue an experiment after its host died: every trial, the
// searcher's and the scheduler's own state, and the experiment's definition. Plain data with
// cereal serialisation; the engine converts its trials to and from it, and StateStore writes it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

namespace tune::core {

struct CheckpointState {
    long long iteration = 0;
    std::string dir;        // relative to the experiment folder: "trial_00003/checkpoint_000005"
    double score = 0.0;     // the score attribute at that iteration (NaN if absent)
    double time_total_s = 0.0;

    template <class Archive> void serialize(Archive &archive) { archive(iteration, dir, score, time_total_s); }
};

struct TrialState {
    std::string id;
    std::string status;      // "PENDING", "RUNNING", "PAUSED", "TERMINATED", "ERROR"
    std::string config_json; // the searcher's suggestion
    std::uint64_t seed = 0;
    std::string last_result_json; // "" until the first result
    long long iteration = 0;
    double time_total_s = 0.0;
    std::vector<CheckpointState> checkpoints; // oldest first
    std::string stop_reason;
    std::string error;     // the latest failure
    long long failures = 0;

    template <class Archive> void serialize(Archive &archive) {
        archive(id, status, config_json, seed, last_result_json, iteration, time_total_s, checkpoints, stop_reason,
                error, failures);
    }
};

struct ExperimentState {
    std::string experiment_json; // the whole definition (core/config/experiment_json.hpp)
    std::string started_at;      // ISO 8601 UTC of the first start
    double elapsed_s = 0.0;      // wall time run so far, over every start
    std::uint64_t workers_started = 0;
    bool searcher_finished = false;
    std::string searcher_plugin;
    std::string searcher_state;  // the plugin's save(), any bytes
    std::string scheduler_plugin;
    std::string scheduler_state;
    std::vector<TrialState> trials; // in creation order; a trial's index is its id
    std::uint64_t sequence = 0;     // counts saves, so two copies can be told apart

    template <class Archive> void serialize(Archive &archive) {
        archive(experiment_json, started_at, elapsed_s, workers_started, searcher_finished, searcher_plugin,
                searcher_state, scheduler_plugin, scheduler_state, trials, sequence);
    }
};

} // namespace tune::core
