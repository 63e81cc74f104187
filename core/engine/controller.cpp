#include "core/engine/controller.hpp"

#include <algorithm>
#include <charconv>
#include <limits>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/config/experiment_json.hpp"
#include "core/engine/progress_snapshot.hpp"
#include "core/engine/result_annotator.hpp"
#include "core/engine/spare_cpus.hpp"
#include "core/engine/stop_criteria.hpp"
#include "core/engine/trial_state_codec.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/report/trial_table.hpp"
#include "core/state/experiment_errors.hpp"

namespace tune::core {
using nlohmann::json;

namespace {

const char *decision_name(tune_decision_t decision) {
    switch (decision) {
    case TUNE_DECISION_CONTINUE: return "CONTINUE";
    case TUNE_DECISION_PAUSE: return "PAUSE";
    case TUNE_DECISION_STOP: return "STOP";
    }
    return "UNKNOWN";
}

// The trial's last result as the searcher and scheduler receive it, or nullopt if none.
std::optional<std::string> last_result_text(const Trial &trial) {
    if (!trial.last_result) return std::nullopt;
    return trial.last_result->text();
}

} // namespace

Controller::Controller(const Experiment &experiment, std::filesystem::path experiment_dir, ResourcePool pool,
                       ControllerParts parts)
    : experiment_(experiment), experiment_dir_(std::move(experiment_dir)),
      experiment_json_(experiment_to_json(experiment).dump()), step_policy_(StepAheadPolicy::of(experiment)),
      pool_(std::move(pool)), parts_(parts) {}

void Controller::restore(const ExperimentState &state) {
    if (!state.searcher_state.empty()) parts_.searcher.restore(state.searcher_state);
    if (!state.scheduler_state.empty()) parts_.scheduler.restore(state.scheduler_state);
    searcher_finished_ = state.searcher_finished;
    elapsed_before_s_ = state.elapsed_s;
    started_at_ = state.started_at;
    parts_.state.set_sequence(state.sequence);
    parts_.checkpoints.state_saved(state.sequence);
    for (const TrialState &saved : state.trials) {
        trials_.push_back(decode_trial(saved, experiment_dir_));
        Trial &trial = *trials_.back();
        parts_.checkpoints.restore(trial, saved.checkpoints, experiment_dir_);
        pending_exploits_ += trial.pending_exploit.has_value();
    }
    // A trial whose end was decided but not yet told to the searcher and scheduler (their state
    // was saved before): tell them now, as end_trial would have. After every trial is back, as
    // the scheduler's actions may name any of them.
    for (std::size_t i = 0; i < state.trials.size(); ++i)
        if (state.trials[i].status == "STOPPING") tell_ended(*trials_[i], false);
}

bool Controller::run() {
    if (started_at_.empty()) started_at_ = utc_now_iso8601();
    started_ns_ = parts_.clock.now_ns();
    save_state(); // from here on, the folder can always be resumed
    try {
        apply_ready_exploits(); // those a resumed state left pending: no donor runs yet
        loop();
    } catch (const std::exception &e) {
        stop_after_error(e.what());
        throw;
    }
    finish_unstarted_trials();
    save_state();
    parts_.checkpoints.delete_dropped();
    return interrupted_;
}

void Controller::stop_after_error(const std::string &what) {
    // Keep what was done: the running trials are left to resume from their latest checkpoint,
    // and the state records every trial so far. If it cannot be saved now, the copy saved
    // before stays valid.
    stopping_ = true;
    resumable_stop_ = true;
    stop_reason_ = "host error: " + what;
    abort_trials();
    finish_unstarted_trials();
    try {
        save_state();
    } catch (const std::exception &e) {
        spdlog::error("{}", e.what());
    }
}

void Controller::loop() {
    for (;;) {
        const int stop_requests = parts_.stop_requests.load();
        if (stop_requests >= 2) {
            interrupted_ = true;
            if (!stopping_ || !resumable_stop_) begin_stopping("interrupted", true);
            abort_trials(); // their trials resume from their latest checkpoint
            return;
        }
        if (stop_requests == 1 && !stopping_) {
            interrupted_ = true;
            begin_stopping("interrupted", true);
            parts_.out << "\nStopping: running trials pause after their current step, with a checkpoint "
                          "(Ctrl-C again to stop at once); `tune resume "
                       << experiment_dir_.string() << "` continues\n";
        }
        if (experiment_.time_budget_s && !stopping_ && elapsed_s() >= *experiment_.time_budget_s)
            begin_stopping("time budget reached", false);
        // Trials are created and started only after something that could change the answer:
        // a trial starting, ending or pausing, or news for a searcher that was not ready.
        if (!stopping_ && scheduling_needed_) {
            scheduling_needed_ = false;
            create_trials();
            start_trials();
            lend_spare_cpus();
        }
        if (count(TrialStatus::Running) == 0) return; // nothing can produce news any more

        events_.clear();
        parts_.executor.poll(0.2, events_);
        for (auto &event : events_) handle(event);
        // A scheduler may decline a waiting trial until others report (a trial held back until
        // a rung fills, say): ask again after results while resources are free for it.
        if (!events_.empty() && !scheduling_needed_ && !stopping_ && a_waiting_trial_fits()) scheduling_needed_ = true;
        apply_ready_exploits();
        if (parts_.state.due() && !a_pause_checkpoint_in_flight()) save_state();
        report_progress(false);
        refresh_live_report(); // only inside the loop: never over the final summary.json
    }
}

void Controller::save_state() {
    // The records on disk must hold every result the state counts, so that a resumed trial's
    // logs continue without a gap.
    parts_.records.flush();
    parts_.checkpoints.state_saved(parts_.state.save(snapshot()));
}

ExperimentState Controller::snapshot() const {
    ExperimentState state;
    state.experiment_json = experiment_json_;
    state.started_at = started_at_;
    state.elapsed_s = elapsed_s();
    state.searcher_finished = searcher_finished_;
    state.searcher_plugin = parts_.searcher.plugin_id();
    state.searcher_state = parts_.searcher.save();
    state.scheduler_plugin = parts_.scheduler.info().id;
    state.scheduler_state = parts_.scheduler.save();
    state.trials.reserve(trials_.size());
    for (const auto &trial : trials_) state.trials.push_back(encode_trial(*trial, experiment_dir_));
    return state;
}

void Controller::create_trials() {
    // Keep as many trials pending as could start now (at least one), so resources never sit
    // idle while the searcher could propose more, and adaptive searchers are not asked early.
    while (!searcher_finished_ && !searcher_waiting_) {
        if (count(TrialStatus::Pending) >= std::max<std::size_t>(1, free_slots())) return;
        const std::string id = fmt::format("{:05}", trials_.size());
        SuggestResult suggestion = parts_.searcher.suggest(id);
        if (suggestion.outcome == TUNE_SUGGEST_FINISHED) {
            searcher_finished_ = true;
            return;
        }
        if (suggestion.outcome == TUNE_SUGGEST_NOT_READY) {
            searcher_waiting_ = true;
            return;
        }
        auto trial = std::make_unique<Trial>();
        trial->id = id;
        trial->dir = experiment_dir_ / ("trial_" + id);
        trial->config = json::parse(suggestion.config_json);
        trial->seed = trial_seed(experiment_.seed, trials_.size());
        parts_.scheduler.on_trial_add(id, suggestion.config_json);
        trials_.push_back(std::move(trial));
        parts_.state.mark_dirty();
        apply_actions(nullptr);
    }
}

void Controller::start_trials() {
    for (;;) {
        if (experiment_.max_concurrent_trials > 0 &&
            count(TrialStatus::Running) >= static_cast<std::size_t>(experiment_.max_concurrent_trials))
            return;
        json candidates = json::array();
        for (std::size_t i = first_unfinished(); i < trials_.size(); ++i) {
            const Trial &trial = *trials_[i];
            if (trial.waiting_to_run())
                candidates.push_back({{"trial_id", trial.id}, {"status", status_name(trial.status)}});
        }
        if (candidates.empty()) return;
        auto allocation = pool_.try_allocate(experiment_.resources);
        if (!allocation) return;
        auto chosen = parts_.scheduler.choose_trial_to_run(candidates.dump());
        apply_actions(nullptr); // e.g. HyperBand stopping the losers of a rung it completes here
        Trial *trial = chosen ? find_trial(*chosen) : nullptr;
        if (trial && !trial->waiting_to_run()) trial = nullptr;
        if (!trial) {
            pool_.release(*allocation);
            if (chosen)
                throw PluginCallError(TUNE_ERROR_INTERNAL,
                                      fmt::format("scheduler '{}' chose trial '{}', which is not waiting to run",
                                                  parts_.scheduler.info().id, *chosen));
            return;
        }
        launch(*trial, std::move(*allocation));
    }
}

void Controller::lend_spare_cpus() {
    if (!experiment_.lend_spare_cpus) return;
    // Trials still stepping; one whose ending is decided only finishes what it owes.
    std::vector<Trial *> holders;
    std::vector<ThreadHolder> shares;
    for (std::size_t i = first_unfinished(); i < trials_.size(); ++i) {
        Trial &trial = *trials_[i];
        if (!trial.run || trial.run->ending != TrialEnding::None) continue;
        holders.push_back(&trial);
        shares.push_back({trial.run->allocation.node, trial.run->allocation.threads()});
    }
    std::vector<double> free_cpus;
    for (std::size_t node = 0; node < pool_.nodes().size(); ++node) free_cpus.push_back(pool_.free_cpus(node));
    const std::vector<unsigned> threads = threads_with_spare_cpus(shares, free_cpus);
    for (std::size_t i = 0; i < holders.size(); ++i) {
        TrialRun &run = *holders[i]->run;
        if (threads[i] == run.threads) continue;
        parts_.executor.set_threads(holders[i]->id, threads[i]);
        run.threads = threads[i];
    }
}

void Controller::launch(Trial &trial, Allocation allocation) {
    // A paused or failed trial continues from its latest checkpoint, or starts over; its records
    // then show each iteration once, as the results after the checkpoint are produced again.
    const CheckpointRecord *checkpoint = trial.latest_checkpoint();
    const long long resume_from = checkpoint ? checkpoint->iteration : 0;
    parts_.records.open(trial.id, trial.dir, trial.config, log_extent(trial, resume_from));
    trial.iteration = resume_from;
    trial.time_total_s = checkpoint ? checkpoint->time_total_s : 0.0;
    trial.status = TrialStatus::Running;
    trial.stop_reason.clear();
    trial.interrupted = false;
    trial.run.emplace();
    trial.run->allocation = allocation;
    trial.run->threads = allocation.threads();
    parts_.state.mark_dirty();
    scheduling_needed_ = true; // resources may remain for another trial

    parts_.executor.start({trial.id, std::move(allocation), trial.dir.string(),
                           trainable_config(experiment_.trainable_config, trial), trial.seed,
                           checkpoint ? checkpoint->dir.string() : std::string()});
    trial.run->requests_owed = 1;
    trial.run->decision_point = trial.iteration + 1;
    // Start and the first step go together: one round trip instead of two.
    send_steps(trial);
}

void Controller::send_steps(Trial &trial) {
    TrialRun &run = *trial.run;
    const int allowed = steps_allowed(step_policy_, trial.iteration, run.decision_point, run.steps.last_step_ns());
    while (run.steps.in_flight() < allowed) {
        parts_.executor.step(trial.id);
        run.requests_owed += 1;
        run.steps.sent(parts_.clock.now_ns());
    }
}

Trial *Controller::find_trial(const std::string &id) {
    std::size_t index = 0;
    const auto parsed = std::from_chars(id.data(), id.data() + id.size(), index);
    if (parsed.ec != std::errc() || parsed.ptr != id.data() + id.size() || index >= trials_.size()) return nullptr;
    Trial *trial = trials_[index].get();
    return trial->id == id ? trial : nullptr;
}

Trial *Controller::running_trial(const std::string &id) {
    Trial *trial = find_trial(id);
    return trial && trial->run ? trial : nullptr;
}

void Controller::handle(TrialEvent &event) {
    Trial *trial = running_trial(event.trial_id);
    if (!trial) return; // news of a trial that has already ended
    trial->run->requests_owed -= 1;
    parts_.state.mark_dirty();
    // A stop at once is under way (SIGTERM, a second Ctrl-C): whoever sent it may have sent it
    // to the workers too (Slurm signals a whole job step). Their loss is the stop's, not the
    // trial's: the loop pauses the trial next, to resume from its latest checkpoint.
    if (event.kind == TrialEvent::Kind::Lost && parts_.stop_requests.load() >= 2) return;
    // The trial's ending is decided: Steps still in flight answer nothing it needs (a worker
    // skips those behind a "done"). Should one fail anyway, the executor has forgotten the
    // trial, and no checkpoint it was asked for will come: the trial ends as decided.
    if (event.request == TrialRequest::Step && trial->run->ending_decided) {
        trial->run->steps.arrived(parts_.clock.now_ns());
        if (event.kind == TrialEvent::Kind::Failed || event.kind == TrialEvent::Kind::Lost) end_trial(*trial);
        return;
    }
    switch (event.kind) {
    case TrialEvent::Kind::Result: on_result(*trial, std::move(event.text)); break;
    case TrialEvent::Kind::Saved: on_saved(*trial); break;
    case TrialEvent::Kind::Failed:
        // A checkpoint that cannot be written is a disk problem, not the trial's: stop the run
        // (resumably) rather than fail trial after trial.
        if (event.request == TrialRequest::Save && event.status == TUNE_ERROR_IO)
            throw DiskError(fmt::format("trial {}: cannot write checkpoint {}: {}", trial->id,
                                        trial->run->saving_dir.string(), event.text));
        fail_trial(*trial, event.text);
        break;
    case TrialEvent::Kind::Lost: fail_trial(*trial, event.text); break;
    case TrialEvent::Kind::Skipped: // only ever behind a "done", which ended the trial
        fail_trial(*trial, "its worker skipped a step as if the trial had reported done");
        break;
    case TrialEvent::Kind::Started: trial->run->worker_pid = started_pid(event.text); break;
    case TrialEvent::Kind::Evaluated: break;
    }
}

namespace {

// {"done": true} and nothing else: a trainable's training ended after its previous result
// without a final result of its own (a command trainable's program exiting with status 0).
bool is_bare_done(const std::string &text) {
    if (text.size() > 32 || text.find("done") == std::string::npos) return false;
    const json value = json::parse(text, nullptr, false);
    return value.is_object() && value.size() == 1 && value.contains("done") && value["done"] == true;
}

} // namespace

void Controller::finish_after_last_result(Trial &trial) {
    TrialRun &run = *trial.run;
    // The previous result is the last: the summary and the searcher see it marked done.
    json last = trial.last_result->value();
    last["done"] = true;
    trial.last_result = ResultLine(std::move(last));
    run.interruption = false;
    run.ending = TrialEnding::Stop;
    run.end_reason = "the trainable reported done";
    run.ending_decided = true;
    if (run.saving_iteration >= 0) return; // a checkpoint of it is being saved: on_saved ends the trial
    const CheckpointRecord *latest = trial.latest_checkpoint();
    const bool saved = latest && latest->iteration == trial.iteration;
    if (experiment_.checkpoint.at_end && !saved)
        request_checkpoint(trial);
    else
        end_trial(trial); // Steps still in flight are dropped
}

void Controller::on_result(Trial &trial, std::string text) {
    TrialRun &run = *trial.run;
    if (trial.last_result && is_bare_done(text)) {
        run.steps.arrived(parts_.clock.now_ns());
        finish_after_last_result(trial);
        return;
    }
    const double step_s = Clock::seconds(run.steps.arrived(parts_.clock.now_ns()));
    const HostFields fields{trial.iteration + 1,
                            step_s,
                            trial.time_total_s + step_s,
                            run.iterations_since_restore + 1,
                            parts_.clock.unix_time_s(),
                            trial.id,
                            run.allocation.node_name,
                            run.allocation.rank,
                            run.worker_pid};
    std::optional<ResultAnnotator> annotator;
    try {
        annotator.emplace(std::move(text), fields);
    } catch (const InvalidResult &e) {
        fail_trial(trial, e.what());
        return;
    }
    trial.iteration = fields.training_iteration;
    trial.time_total_s = fields.time_total_s;
    run.iterations_since_restore = fields.iterations_since_restore;
    const bool metric_missing = trial.iteration == 1 && !annotator->contains(experiment_.metric);

    std::string reason = stop_reason(experiment_.stop, *annotator); // reads the plugin's "done"
    TrialEnding ending = reason.empty() ? TrialEnding::None : TrialEnding::Stop;
    // The experiment is stopping: its ending applies after the results already asked for, each
    // of them this trial's as if the stop had come later.
    const bool experiment_ending = ending == TrialEnding::None && run.ending != TrialEnding::None &&
                                   run.steps.in_flight() == 0;
    if (experiment_ending) {
        ending = run.ending;
        reason = run.end_reason;
    }
    trial.last_result = annotator->finish(ending == TrialEnding::Stop);
    const std::string &line = trial.last_result->text();
    if (metric_missing)
        spdlog::warn("trial {}: result has no '{}' (the experiment's metric): {}", trial.id, experiment_.metric, line);
    parts_.records.result(trial.id, *trial.last_result);
    parts_.searcher.on_result(trial.id, line);
    if (searcher_waiting_) scheduling_needed_ = true;
    searcher_waiting_ = false;
    if (ending == TrialEnding::None) {
        const SchedulerDecision decision = parts_.scheduler.on_trial_result(trial.id, line);
        apply_decision(trial, decision, ending, reason);
        ResultAnswer answer{trial, ending, reason};
        apply_actions(&answer);
        if (answer.exploited) {
            if (answer.ending == TrialEnding::Stop)
                throw PluginCallError(TUNE_ERROR_INTERNAL,
                                      fmt::format("scheduler '{}' stopped trial {} at training_iteration {} and asked "
                                                  "to exploit it too",
                                                  parts_.scheduler.info().id, trial.id, trial.iteration));
            // It continues from the donor's checkpoint: none of its own is taken, and what it
            // has in flight is dropped (as a stop drops it).
            run.ending = TrialEnding::Pause;
            run.end_reason = "exploited";
            run.interruption = false;
            run.ending_decided = true;
            end_trial(trial);
            return;
        }
        ending = answer.ending;
        reason = std::move(answer.reason);
        if (ending == TrialEnding::None && run.ending == TrialEnding::None && step_policy_.allowed &&
            trial.iteration + 1 >= run.decision_point)
            run.decision_point = parts_.scheduler.next_decision_point(trial.id, trial.iteration);
    }
    if (ending != TrialEnding::None) {
        if (!experiment_ending) run.interruption = false; // the trial's own ending, final
        run.ending = ending;
        run.end_reason = reason;
        run.ending_decided = true;
    }

    const auto &policy = experiment_.checkpoint;
    const bool periodic = policy.frequency > 0 && trial.iteration % policy.frequency == 0;
    // The scheduler's checkpoint is of this result only when no Step has run past it.
    const bool asked = run.checkpoint_next_result && run.steps.in_flight() == 0;
    const bool checkpoint =
        periodic || asked || (ending == TrialEnding::Stop && policy.at_end) || ending == TrialEnding::Pause;
    if (checkpoint) request_checkpoint(trial);
    if (ending != TrialEnding::None) {
        if (!checkpoint) end_trial(trial); // Steps still in flight are dropped
    } else if (run.ending == TrialEnding::None) {
        send_steps(trial);
    }
}

void Controller::apply_decision(const Trial &trial, SchedulerDecision decision, TrialEnding &ending,
                                std::string &reason) {
    // The audit trail stores the scheduler's explanation as it came, if it is JSON.
    json detail = decision.detail_json.empty() ? json::object() : json::parse(decision.detail_json, nullptr, false);
    if (detail.is_discarded()) {
        detail = {{"text", decision.detail_json}};
        decision.detail_json = detail.dump();
    }
    // Every decision the scheduler explains is recorded, and every one that is not "continue";
    // a bare "continue" (FIFO's only answer) says nothing to audit.
    if (decision.action != TUNE_DECISION_CONTINUE || !detail.empty())
        parts_.records.decision(trial.id, trial.iteration, decision_name(decision.action), decision.detail_json);
    if (decision.action == TUNE_DECISION_CONTINUE) return;
    // Steps may already be in flight on the strength of that promise (step_pipeline.hpp).
    if (trial.iteration < trial.run->decision_point)
        throw PluginCallError(TUNE_ERROR_INTERNAL,
                              fmt::format("scheduler '{}' answered {} to trial {}'s result at training_iteration {}, "
                                          "but promised CONTINUE for every result before {} (next_decision_point)",
                                          parts_.scheduler.info().id, decision_name(decision.action), trial.id,
                                          trial.iteration, trial.run->decision_point));
    const bool stop = decision.action == TUNE_DECISION_STOP;
    ending = stop ? TrialEnding::Stop : TrialEnding::Pause;
    const std::string why = detail.is_object() && detail.contains("reason") ? format_cell(detail["reason"]) : "";
    reason = fmt::format("{} by scheduler{}{}", stop ? "stopped" : "paused", why.empty() ? "" : ": ", why);
}

void Controller::request_checkpoint(Trial &trial) {
    TrialRun &run = *trial.run;
    run.saving_dir = parts_.checkpoints.begin(trial, trial.iteration);
    run.saving_iteration = trial.iteration;
    run.checkpoint_next_result = false;
    parts_.executor.save(trial.id, run.saving_dir.string());
    run.requests_owed += 1;
}

void Controller::on_saved(Trial &trial) {
    parts_.checkpoints.commit(trial, trial.run->saving_iteration);
    trial.run->saving_iteration = -1;
    if (trial.run->ending != TrialEnding::None && trial.run->requests_owed == 0) end_trial(trial);
}

void Controller::detach(Trial &trial) {
    pool_.release(trial.run->allocation);
    trial.run.reset();
    scheduling_needed_ = true; // its resources are free again
    parts_.executor.release(trial.id);
    parts_.records.close(trial.id);
}

void Controller::end_trial(Trial &trial) {
    const TrialRun run = *trial.run;
    detach(trial);
    trial.stop_reason = run.end_reason;
    if (run.ending == TrialEnding::Pause) {
        trial.status = TrialStatus::Paused;
        trial.interrupted = run.interruption; // a Ctrl-C pause: resume restarts it at once
        return;
    }
    trial.status = TrialStatus::Terminated;
    tell_ended(trial, false);
}

void Controller::fail_trial(Trial &trial, const std::string &message) {
    detach(trial);
    trial.failures += 1;
    trial.error = message;
    spdlog::warn("trial {} failed (failure {} of at most {}): {}", trial.id, trial.failures,
                 experiment_.max_failures + 1, message);
    parts_.records.failure(trial.dir, trial.failures, trial.iteration, message);
    if (trial.failures <= experiment_.max_failures && (!stopping_ || resumable_stop_)) {
        trial.status = TrialStatus::Pending; // retried from its latest checkpoint
        return;
    }
    trial.status = TrialStatus::Error;
    trial.stop_reason = "error";
    tell_ended(trial, true);
}

void Controller::tell_ended(const Trial &trial, bool failed) {
    const std::optional<std::string> last = last_result_text(trial);
    parts_.searcher.on_complete(trial.id, last, failed);
    searcher_waiting_ = false;
    if (failed) parts_.scheduler.on_trial_error(trial.id);
    else parts_.scheduler.on_trial_complete(trial.id, last);
    apply_actions(nullptr);
}

void Controller::begin_stopping(const std::string &reason, bool resumable) {
    stopping_ = true;
    resumable_stop_ = resumable;
    stop_reason_ = reason;
    for (std::size_t i = first_unfinished(); i < trials_.size(); ++i) {
        Trial &trial = *trials_[i];
        if (!trial.run || trial.run->ending != TrialEnding::None) continue;
        trial.run->ending = resumable ? TrialEnding::Pause : TrialEnding::Stop;
        trial.run->end_reason = reason;
        trial.run->interruption = resumable;
    }
}

void Controller::abort_trials() {
    parts_.executor.abort();
    for (std::size_t i = first_unfinished(); i < trials_.size(); ++i) {
        Trial &trial = *trials_[i];
        if (!trial.run) continue;
        try {
            if (trial.run->ending != TrialEnding::None && !trial.run->interruption) {
                end_trial(trial); // its end was decided; only its last checkpoint was being written
            } else { // stopped mid-step: resume restarts it from its latest checkpoint
                detach(trial);
                trial.status = TrialStatus::Paused;
                trial.interrupted = true;
                trial.stop_reason = stop_reason_.empty() ? "stopped" : stop_reason_;
            }
        } catch (const std::exception &e) { // its records or a plugin failed as well: resume restarts it
            spdlog::error("{}", e.what());
            if (trial.status == TrialStatus::Running) {
                trial.status = TrialStatus::Paused;
                trial.interrupted = true;
                trial.stop_reason = stop_reason_;
            }
        }
    }
    parts_.state.mark_dirty();
}

void Controller::finish_unstarted_trials() {
    parts_.state.mark_dirty();
    for (auto &trial : trials_) {
        if (resumable_stop_) { // left as they are, for `tune resume`
            if (trial->status == TrialStatus::Pending) trial->stop_reason = "not started: " + stop_reason_;
            continue;
        }
        if (trial->status == TrialStatus::Paused) {
            trial->status = TrialStatus::Terminated;
            trial->stop_reason = stopping_ ? stop_reason_ : "paused and never resumed by the scheduler";
            tell_ended(*trial, false);
        } else if (trial->status == TrialStatus::Pending) {
            trial->stop_reason = "not started: " + (stopping_ ? stop_reason_ : std::string("the experiment ended"));
        }
    }
}

std::size_t Controller::first_unfinished() const {
    // Trials mostly finish in creation order: skip the finished prefix so that the per-event
    // scans stay short in experiments with many thousands of trials.
    while (first_unfinished_ < trials_.size() && trials_[first_unfinished_]->finished()) ++first_unfinished_;
    return first_unfinished_;
}

std::size_t Controller::count(TrialStatus status) const {
    std::size_t n = 0;
    for (std::size_t i = first_unfinished(); i < trials_.size(); ++i) n += trials_[i]->status == status;
    return n;
}

bool Controller::a_pause_checkpoint_in_flight() const {
    // A state saved between a PAUSE and its checkpoint would resume the paused trial from an
    // older checkpoint than the scheduler counts on, and an exploit of it would take that one:
    // the resumed run would part from an uninterrupted one. The periodic save waits for it.
    return std::any_of(trials_.begin(), trials_.end(), [](const std::unique_ptr<Trial> &trial) {
        return trial->run && trial->run->ending == TrialEnding::Pause && trial->run->saving_iteration >= 0;
    });
}

bool Controller::a_waiting_trial_fits() const {
    bool waiting = false;
    for (std::size_t i = first_unfinished(); i < trials_.size() && !waiting; ++i) waiting = trials_[i]->waiting_to_run();
    return waiting && free_slots() > 0;
}

std::size_t Controller::free_slots() const {
    const std::size_t running = count(TrialStatus::Running);
    const std::size_t limit = experiment_.max_concurrent_trials > 0
                                  ? static_cast<std::size_t>(experiment_.max_concurrent_trials)
                                  : std::numeric_limits<std::size_t>::max();
    if (running >= limit) return 0;
    ResourcePool trial_pool = pool_;
    std::size_t fit = 0;
    while (fit < limit - running && fit < 1024 && trial_pool.try_allocate(experiment_.resources)) ++fit;
    return fit;
}

double Controller::elapsed_s() const {
    return elapsed_before_s_ + Clock::seconds(parts_.clock.now_ns() - started_ns_);
}

ExperimentSummary Controller::summary() const {
    ExperimentSummary summary;
    summary.name = experiment_.name;
    summary.metric = experiment_.metric;
    summary.mode = experiment_.mode;
    summary.started_at = started_at_;
    summary.ended_at = utc_now_iso8601();
    summary.wall_time_s = elapsed_s();
    summary.end_reason = stopping_ ? stop_reason_ : "all trials finished";
    for (const auto &trial : trials_) summary.trials.push_back(summarize_trial(*trial));
    return summary;
}

void Controller::refresh_live_report() {
    if (!parts_.live_report || !parts_.live_report->due()) return;
    parts_.records.flush(); // the page is read from the files
    ExperimentSummary running = summary();
    running.end_reason = "running";
    running.ended_at.clear();
    parts_.live_report->refresh(running);
}

void Controller::report_progress(bool force) {
    const double now = elapsed_s();
    if (!force && !parts_.reporter.due(now)) return;
    // Make the records on disk current at every tick, so a killed host loses at most one interval.
    parts_.records.flush();
    if (parts_.reporter.style() == ProgressStyle::Quiet) return;
    parts_.reporter.report(progress_snapshot(experiment_, trials_, pool_, parts_.scheduler, now), now);
}

} // namespace tune::core
