// A trial to and from the form the experiment state saves (core/state/experiment_state.hpp)
// and the form summary.json shows.
#pragma once

#include <filesystem>
#include <memory>

#include "core/engine/trial.hpp"
#include "core/report/experiment_summary.hpp"
#include "core/state/experiment_state.hpp"

namespace tune::core {

// A running trial whose end is decided (a stop criterion, the scheduler), waiting only for
// its last checkpoint, is saved as decided ("STOPPING", "PAUSED"): resumed, it must not run on
// from an older checkpoint. One stopped by Ctrl-C or a host error is saved as "RUNNING", so
// that a resume restarts it from its latest checkpoint. Checkpoint folders are saved relative
// to experiment_dir.
TrialState encode_trial(const Trial &trial, const std::filesystem::path &experiment_dir);

// The trial as saved, without its checkpoints (the checkpoint keeper checks those against the
// disk). A trial saved while running waits to run again (PENDING); one saved as STOPPING is
// TERMINATED, and the caller still owes the searcher and scheduler the news.
std::unique_ptr<Trial> decode_trial(const TrialState &saved, const std::filesystem::path &experiment_dir);

TrialSummary summarize_trial(const Trial &trial);

} // namespace tune::core
