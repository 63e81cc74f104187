// The controller's half of the scheduler's actions (tune/scheduler.h, "tune.scheduler.actions/1"):
// stopping a waiting trial, a checkpoint asked for, and exploits. Part of Controller, kept
// apart from the trial lifecycle in controller.cpp.
#include "core/engine/controller.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "core/engine/trial_exploit.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/report/trial_table.hpp" // format_cell

namespace tune::core {
using nlohmann::json;

namespace {

// "stopped by scheduler: <detail's reason>", as a STOP decision reads.
std::string stop_reason_of(const std::string &detail_json) {
    const json detail = detail_json.empty() ? json::object() : json::parse(detail_json, nullptr, false);
    const std::string why =
        detail.is_object() && detail.contains("reason") ? format_cell(detail["reason"]) : std::string();
    return "stopped by scheduler" + (why.empty() ? std::string() : ": " + why);
}

} // namespace

Trial &Controller::action_target(const std::string &trial_id, const char *action) {
    Trial *trial = find_trial(trial_id);
    if (!trial)
        throw PluginCallError(TUNE_ERROR_INTERNAL, fmt::format("scheduler '{}' asked to {} trial '{}', which does not exist",
                                                               parts_.scheduler.info().id, action, trial_id));
    if (trial->finished())
        throw PluginCallError(TUNE_ERROR_INTERNAL,
                              fmt::format("scheduler '{}' asked to {} trial {}, which has ended ({})",
                                          parts_.scheduler.info().id, action, trial_id, status_name(trial->status)));
    return *trial;
}

void Controller::apply_actions(ResultAnswer *answer) {
    if (!parts_.scheduler.takes_actions()) return;
    for (SchedulerAction &action : parts_.scheduler.take_actions()) {
        switch (action.kind) {
        case SchedulerAction::Kind::Stop:
            stop_by_scheduler(action_target(action.trial_id, "stop"), action.detail_json, answer);
            break;
        case SchedulerAction::Kind::Checkpoint: {
            Trial &trial = action_target(action.trial_id, "checkpoint");
            if (trial.run) trial.run->checkpoint_next_result = true; // a waiting trial has one of its last result
            break;
        }
        case SchedulerAction::Kind::Exploit:
            exploit_by_scheduler(action_target(action.trial_id, "exploit"), action, answer);
            break;
        }
    }
}

void Controller::stop_by_scheduler(Trial &trial, const std::string &detail_json, ResultAnswer *answer) {
    const std::string reason = stop_reason_of(detail_json);
    parts_.state.mark_dirty();
    if (answer && &answer->trial == &trial) { // as if its result had been answered STOP
        parts_.records.decision(trial.id, trial.iteration, "STOP", detail_json);
        answer->ending = TrialEnding::Stop;
        answer->reason = reason;
        return;
    }
    if (trial.run) { // after the result it has in flight, as an experiment's stop would
        parts_.records.decision(trial.id, trial.iteration, "STOP", detail_json);
        trial.run->ending = TrialEnding::Stop;
        trial.run->end_reason = reason;
        trial.run->interruption = false;
        return;
    }
    parts_.records.idle_decision(trial.id, trial.dir, trial.iteration, "STOP", detail_json);
    if (trial.pending_exploit) --pending_exploits_;
    trial.pending_exploit.reset();
    trial.status = TrialStatus::Terminated;
    trial.stop_reason = reason;
    tell_ended(trial, false);
}

void Controller::exploit_by_scheduler(Trial &trial, SchedulerAction &action, ResultAnswer *answer) {
    Trial &donor = action_target(action.donor_id, "clone for an exploit");
    if (!donor.latest_checkpoint() && !checkpoint_coming(donor) && !(answer && &answer->trial == &donor)) {
        // Nothing to continue from (Ray's PBT skips such an exploit too): the trial goes on as it was.
        spdlog::warn("trial {}: exploit of trial {} skipped: trial {} has no checkpoint", trial.id, donor.id, donor.id);
        const std::string detail = json{{"donor", donor.id}, {"reason", "the donor has no checkpoint"}}.dump();
        if (trial.run) parts_.records.decision(trial.id, trial.iteration, "EXPLOIT_SKIPPED", detail);
        else parts_.records.idle_decision(trial.id, trial.dir, trial.iteration, "EXPLOIT_SKIPPED", detail);
        return;
    }
    if (trial.run && trial.run->ending == TrialEnding::Stop && trial.run->ending_decided) {
        spdlog::warn("trial {}: exploit of trial {} ignored: the trial is stopping", trial.id, donor.id);
        return;
    }
    if (!trial.pending_exploit) ++pending_exploits_;
    trial.pending_exploit = PendingExploit{donor.id, std::move(action.config), action.detail_json, action.log_config};
    parts_.state.mark_dirty();
    if (answer && &answer->trial == &trial) {
        answer->exploited = true; // on_result ends the run, without a checkpoint of the old lineage
    } else if (trial.run) {
        // Whatever it is doing is replaced by the donor's state: its replies still owed are dropped.
        detach(trial);
        trial.status = TrialStatus::Paused;
    } else {
        trial.status = TrialStatus::Paused;
    }
}

void Controller::apply_ready_exploits() {
    if (pending_exploits_ == 0) return;
    for (std::size_t i = first_unfinished(); i < trials_.size(); ++i) {
        Trial &trial = *trials_[i];
        if (!trial.pending_exploit || trial.run) continue;
        const Trial *donor = find_trial(trial.pending_exploit->donor);
        if (donor && checkpoint_coming(*donor)) continue; // wait for it
        --pending_exploits_;
        if (!donor) { // a saved state naming a trial that is not there: drop it
            trial.pending_exploit.reset();
            continue;
        }
        apply_exploit(trial, *donor, parts_.checkpoints, parts_.records, experiment_dir_);
        parts_.state.mark_dirty();
        scheduling_needed_ = true;
    }
}

} // namespace tune::core
