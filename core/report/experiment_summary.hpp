// summary.json: every trial's state and the best trial, written at the end of a run (and every 30 s
// while it runs, by the live report) and read back by `tune results` and `tune report`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tune/types.h"

namespace tune::core {

struct TrialSummary {
    std::string id;
    std::string dir; // folder name under the experiment folder
    std::string status;
    std::string stop_reason;
    std::string error;      // the latest failure, also when a retry then succeeded
    long long failures = 0; // how many times the trial failed (each retry follows one)
    nlohmann::json config;
    nlohmann::json last_result;
    long long iteration = 0;
    std::string checkpoint; // path of the latest kept checkpoint, or ""
    // Its exploits (PBT), oldest first: {"iteration", "donor", "donor_iteration",
    // "old_config", "new_config", "time"}.
    nlohmann::json lineage = nlohmann::json::array();
};

struct ExperimentSummary {
    std::string name;
    std::string metric;
    tune_mode_t mode = TUNE_MODE_MIN;
    std::string started_at; // ISO 8601, UTC
    std::string ended_at;
    double wall_time_s = 0.0;
    // CPU seconds the host process (the controller; rank 0 under MPI) used while this run's
    // trials ran: what the experiment cost the machine it is driven from.
    double controller_cpu_s = 0.0;
    std::string end_reason; // "all trials finished", "time budget reached", "interrupted"
    std::vector<TrialSummary> trials;
    nlohmann::json best_evaluation; // the trainable's evaluate() of the best checkpoint, or null

    // The trial whose last result has the best finite metric value (Ray's scope="last").
    std::optional<std::size_t> best_trial() const;

    nlohmann::json to_json() const;
    static ExperimentSummary from_json(const nlohmann::json &json);
};

// Writes <dir>/summary.json atomically (a temporary file, then rename).
void write_summary(const std::filesystem::path &experiment_dir, const ExperimentSummary &summary);

// Reads <dir>/summary.json. Throws std::runtime_error naming the file if it is missing or corrupt.
ExperimentSummary read_summary(const std::filesystem::path &experiment_dir);

// Reads a JSON file of an experiment folder (summary.json, experiment.json, params.json).
// Throws std::runtime_error naming the file if it is missing or not JSON.
nlohmann::json read_experiment_file(const std::filesystem::path &file);

// The final report: the trial table, counts by status, the lineage of exploited trials and
// the best trial.
std::string render_summary(const ExperimentSummary &summary, std::size_t max_rows = 0);

// The flattened keys whose values differ: "lr 0.01 -> 0.012, model/l1 64 -> 32".
std::string describe_config_changes(const nlohmann::json &before, const nlohmann::json &after);

// ISO 8601 UTC timestamp of now, e.g. "2026-11-27T06:40:01Z".
std::string utc_now_iso8601();

} // namespace tune::core
