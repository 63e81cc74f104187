// Everything needed to continue an experiment after its host died: every trial, the
// searcher's and the scheduler's own state, and the experiment's definition. Plain data, written
// with cereal's portable binary archive and read back with StateInputArchive, which checks
// every length; the engine converts its trials to and from it, and StateStore writes it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <cereal/archives/portable_binary.hpp>
#include <cereal/types/optional.hpp>
#include <cereal/types/string.hpp>
#include <cereal/types/vector.hpp>

#include "core/state/state_input_archive.hpp"

namespace tune::core {

// The layout of the saved state, in the file's header. 2 added trials' lineage (PBT's
// exploits); a version 1 file still loads, with none.
constexpr std::uint32_t kStateFormatVersion = 2;

// The format of the file being read (StateInputArchive), or this tune's when writing.
template <class Archive> std::uint32_t state_format_of(Archive &archive) {
    if constexpr (std::is_same_v<Archive, StateInputArchive>) return archive.format();
    else return kStateFormatVersion;
}

struct CheckpointState {
    long long iteration = 0;
    std::string dir;        // relative to the experiment folder: "trial_00003/checkpoint_000005"
    double score = 0.0;     // the score attribute at that iteration (NaN if absent)
    double time_total_s = 0.0;

    template <class Archive> void serialize(Archive &archive) { archive(iteration, dir, score, time_total_s); }
};

// One exploit in a trial's lineage: it continued from another trial's checkpoint.
struct LineageState {
    long long iteration = 0;       // the trial's training_iteration when exploited
    std::string donor;             // the trial it continued from
    long long donor_iteration = 0; // the donor checkpoint's training_iteration
    std::string old_config_json;
    std::string new_config_json;
    std::string time; // ISO 8601 UTC

    template <class Archive> void serialize(Archive &archive) {
        archive(iteration, donor, donor_iteration, old_config_json, new_config_json, time);
    }
};

// An exploit waiting for its donor's checkpoint.
struct PendingExploitState {
    std::string donor;
    std::string config_json;
    std::string detail_json;
    bool log_config = true;

    template <class Archive> void serialize(Archive &archive) { archive(donor, config_json, detail_json, log_config); }
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
    std::vector<LineageState> lineage; // oldest first (format 2)
    std::optional<PendingExploitState> pending_exploit; // (format 2)

    template <class Archive> void serialize(Archive &archive) {
        archive(id, status, config_json, seed, last_result_json, iteration, time_total_s, checkpoints, stop_reason,
                error, failures);
        if (state_format_of(archive) >= 2) archive(lineage, pending_exploit);
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
