// An experiment folder read back from its files alone (experiment.json, summary.json and each
// trial's params.json, result.jsonl and decisions.jsonl), for the HTML report. It works for a
// finished, a running and a resumed experiment alike: summary.json is optional (a running
// experiment refreshes it), and a torn last line of a file being written is skipped.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/report/experiment_summary.hpp"
#include "tune/types.h"

namespace tune::core {

// One result row, reduced to what the report draws.
struct ResultPoint {
    double step = 0.0;     // the scheduler's time_attr (training_iteration by default)
    double metric = 0.0;   // NaN when the row has no finite metric
    double end_s = 0.0;    // its timestamp (seconds since the epoch); NaN when missing
    double duration_s = 0.0; // time_this_iter_s
    int lane = 0;          // index into ResultsFolder::lanes: where it ran
};

// A scheduler decision that judged a trial against a threshold (ASHA's rung cutoff, the
// median stopping rule's median): its detail's "rung"/"time", "cutoff"/"median" and "value".
struct ThresholdDecision {
    double step = 0.0;
    double threshold = 0.0;
    double value = 0.0; // the trial's score there as the scheduler saw it; NaN when not given
    std::string decision; // "STOP", "CONTINUE", "PAUSE"
};

struct TrialHistory {
    std::string id;  // "00007"
    std::string dir; // "trial_00007"
    std::string status; // from summary.json, or inferred from the files while it is absent
    std::string stop_reason;
    std::string checkpoint;
    nlohmann::json config = nlohmann::json::object();
    nlohmann::json last_result; // null before its first result
    nlohmann::json lineage = nlohmann::json::array();
    std::vector<ResultPoint> points; // in file order
    std::vector<ThresholdDecision> thresholds;
    bool stopped_by_scheduler = false;
};

struct ResultsFolder {
    std::filesystem::path dir;
    nlohmann::json experiment; // experiment.json
    std::optional<ExperimentSummary> summary;
    std::string metric, time_attr;
    tune_mode_t mode = TUNE_MODE_MIN;
    std::vector<TrialHistory> trials; // in trial id order
    std::vector<std::string> lanes;   // "node:pid" of every worker that reported a result
    std::size_t result_count = 0;
    bool host_running = false; // a tune process holds the folder's lock (tune.lock)
    // What was skipped, each naming the file and line: "trial_00003/result.jsonl line 17: ...".
    std::vector<std::string> problems;
};

// Reads the experiment folder dir. Throws std::runtime_error naming the file when dir is not an
// experiment folder (no experiment.json) or experiment.json / summary.json cannot be read.
// Malformed result and decision lines are skipped and listed in problems, except a torn last
// line (a file being appended to), which is skipped silently.
ResultsFolder read_results_folder(const std::filesystem::path &dir);

} // namespace tune::core
