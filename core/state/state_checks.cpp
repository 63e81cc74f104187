#include "core/state/state_checks.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tune::core {

namespace {

constexpr std::array kSavedStatuses{"PENDING", "RUNNING", "PAUSED", "STOPPING", "TERMINATED", "ERROR"};

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A trial id as the engine writes one: its index, at least five digits.
bool is_trial_id(std::string_view id, std::size_t trial_count) {
    if (id.size() < 5 || !all_digits(id) || id.size() > 12) return false;
    return std::stoull(std::string(id)) < trial_count;
}

// "trial_<id>/checkpoint_<iteration>" or ".../checkpoint_<iteration>_gen<n>".
bool is_checkpoint_dir(std::string_view dir, std::size_t trial_count) {
    constexpr std::string_view kTrial = "trial_", kCheckpoint = "checkpoint_", kGeneration = "_gen";
    const auto slash = dir.find('/');
    if (dir.substr(0, kTrial.size()) != kTrial || slash == std::string_view::npos) return false;
    if (!is_trial_id(dir.substr(kTrial.size(), slash - kTrial.size()), trial_count)) return false;
    std::string_view name = dir.substr(slash + 1);
    if (name.substr(0, kCheckpoint.size()) != kCheckpoint) return false;
    name.remove_prefix(kCheckpoint.size());
    const auto generation = name.find(kGeneration);
    if (generation == std::string_view::npos) return all_digits(name);
    return all_digits(name.substr(0, generation)) && all_digits(name.substr(generation + kGeneration.size()));
}

void check_json(const std::string &text, const std::string &what, bool may_be_empty) {
    if (text.empty() && may_be_empty) return;
    if (!nlohmann::json::accept(text)) throw StateFormatError(fmt::format("{} is not valid JSON", what));
}

} // namespace

void check_state(const ExperimentState &state) {
    const std::size_t count = state.trials.size();
    if (!nlohmann::json::parse(state.experiment_json, nullptr, false).is_object()) // discarded if it does not parse
        throw StateFormatError("the saved experiment definition is not a JSON object");
    for (std::size_t i = 0; i < count; ++i) {
        const TrialState &trial = state.trials[i];
        const std::string id = fmt::format("{:05}", i);
        // A corrupt field may hold anything: quote at most 40 characters of it.
        if (trial.id != id)
            throw StateFormatError(fmt::format("trial {} has the id '{:.40}' (expected '{}')", i, trial.id, id));
        const std::string where = "trial " + id;
        if (std::find(kSavedStatuses.begin(), kSavedStatuses.end(), trial.status) == kSavedStatuses.end())
            throw StateFormatError(fmt::format("{} has the unknown status '{:.40}'", where, trial.status));
        for (const CheckpointState &checkpoint : trial.checkpoints)
            if (!is_checkpoint_dir(checkpoint.dir, count))
                throw StateFormatError(fmt::format("{} names the checkpoint '{:.80}', which is not a checkpoint folder "
                                                   "of a trial in this experiment",
                                                   where, checkpoint.dir));
        for (const LineageState &step : trial.lineage) {
            if (!is_trial_id(step.donor, count))
                throw StateFormatError(fmt::format("{} names the unknown donor trial '{:.40}'", where, step.donor));
            check_json(step.old_config_json, where + "'s lineage config", false);
            check_json(step.new_config_json, where + "'s lineage config", false);
        }
        if (trial.pending_exploit) {
            if (!is_trial_id(trial.pending_exploit->donor, count))
                throw StateFormatError(fmt::format("{} waits for the unknown donor trial '{:.40}'", where,
                                                   trial.pending_exploit->donor));
            check_json(trial.pending_exploit->config_json, where + "'s pending exploit config", false);
            check_json(trial.pending_exploit->detail_json, where + "'s pending exploit detail", true);
        }
        check_json(trial.config_json, where + "'s config", false);
        check_json(trial.last_result_json, where + "'s last result", true);
    }
}

} // namespace tune::core
