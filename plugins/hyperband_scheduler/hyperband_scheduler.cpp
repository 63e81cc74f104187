#include "hyperband_scheduler.hpp"

#include <cmath>

#include "tune/sdk/json_numbers.hpp"

namespace tune::hyperband {

namespace {

constexpr const char *state_format = "org.tune.scheduler.hyperband/1";
constexpr const char *not_in_best = "not in the best 1/reduction_factor at the rung";
constexpr const char *bracket_finished = "bracket finished";

// detail with extra's keys added.
Json merged(Json detail, const Json &extra) {
    for (const auto &item : extra.items()) detail[item.key()] = item.value();
    return detail;
}

} // namespace

const HyperbandOptions &HyperbandScheduler::options() const {
    if (!options_) throw StateError("the hyperband scheduler was not set up: call setup first");
    return *options_;
}

BandLayout &HyperbandScheduler::layout() {
    options();
    return *layout_;
}

void HyperbandScheduler::setup(const SchedulerSettings &settings) {
    HyperbandOptions parsed = parse_hyperband_options(settings);
    metric_op_ = parsed.mode == TUNE_MODE_MAX ? 1.0 : -1.0;
    layout_.emplace(BandGeometry(parsed.max_t, parsed.reduction_factor), parsed.stop_last_trials);
    trials_ = TrialRegistry();
    stopped_ = 0;
    actions_ = Json::array();
    options_ = std::move(parsed);
}

Json HyperbandScheduler::where(const Bracket &bracket) const {
    return {{"band", bracket.band()}, {"bracket", bracket.s()}, {"rung", display_number(bracket.milestone())}};
}

void HyperbandScheduler::on_trial_add(const std::string &trial_id, const Json & /*config*/) {
    if (trials_.find(trial_id)) throw StateError("trial '" + trial_id + "' was already added");
    trials_.add(trial_id, layout().place(trial_id));
}

Decision HyperbandScheduler::on_trial_result(const std::string &trial_id, const Json &result) {
    const HyperbandOptions &opts = options();
    TrialEntry &trial = trials_.at(trial_id);
    trial.status = TrialStatus::running;
    const std::size_t index = trial.bracket;
    Bracket &bracket = layout().brackets()[index];
    if (trial.stopping) {
        // A host that takes actions ends the trial itself; one that does not resumed it.
        const Json at{{"band", bracket.band()}, {"bracket", bracket.s()}};
        if (trial.resumed_after_stop)
            return Decision::stop(merged(at, {{"reason", "stopped by a successive halving while paused"}}));
        return Decision::keep_going(merged(at, {{"reason", "a stop action ends it"}}));
    }
    if (!bracket.contains(trial_id)) return Decision::keep_going({{"reason", "no longer in its bracket"}});

    std::string why_not;
    const auto read = read_time_and_metric(result, opts.time_attr, opts.metric, why_not);
    if (!read) return Decision::keep_going({{"reason", why_not}});
    if (!(read->time >= 0)) // Ray asserts it
        throw Error(TUNE_ERROR_INVALID_ARGUMENT,
                    "result '" + opts.time_attr + "' must be >= 0, got " + Json(read->time).dump());
    bracket.update_trial_stats(trial_id, {read->time, read->value});

    const Json time{{"time", display_number(read->time)}};
    if (bracket.continue_trial(trial_id)) {
        const bool runs_on = !opts.stop_last_trials && bracket.halvings_left() == 0;
        return Decision::keep_going(merged(merged(time, where(bracket)),
                                           {{"reason", runs_on ? "last rung passed: runs on" : "rung not reached"}}));
    }
    Decision decision = process_bracket(index, &trial_id, "result of " + trial_id);
    decision.detail = merged(time, decision.detail);
    if (decision.action == TUNE_DECISION_PAUSE) trial.status = TrialStatus::paused;
    return decision;
}

Decision HyperbandScheduler::process_bracket(std::size_t index, const std::string *reporter,
                                             const std::string &trigger) {
    Bracket &bracket = layout().brackets()[index];
    const Json at = where(bracket);
    const auto is_reporter = [&](const std::string &trial_id) { return reporter && *reporter == trial_id; };
    const auto paused = [&](const std::string &trial_id) {
        const TrialEntry *trial = trials_.find(trial_id);
        return trial && trial->status == TrialStatus::paused;
    };
    if (!bracket.cur_iter_done())
        return Decision::pause(merged(at, {{"reached", bracket.reached_milestone()},
                                           {"live", bracket.live().size()},
                                           {"reason", "waiting for the bracket's other trials to reach the rung"}}));
    if (bracket.finished()) {
        // Ray's cleanup_full: the paused trials stop; the reporter is answered STOP.
        std::vector<std::string> waiting;
        for (const LiveTrial &trial : bracket.live())
            if (!is_reporter(trial.trial_id) && paused(trial.trial_id)) waiting.push_back(trial.trial_id);
        const Json detail = merged(at, {{"reason", bracket_finished}, {"trigger", trigger}});
        for (const std::string &trial_id : waiting) stop_waiting(trial_id, bracket, detail);
        return Decision::stop(merged(at, {{"reason", bracket_finished}}));
    }

    bracket.being_processed = true;
    std::map<std::string, double> values;
    for (const LiveTrial &trial : bracket.live())
        values[trial.trial_id] = trial.last ? trial.last->value : std::nan("");
    const Halving halving = bracket.successive_halving(metric_op_);
    stopped_ += halving.bad.size();
    // What the audit trail says about a trial of this halving.
    const auto ranked = [&](const std::string &trial_id, const char *reason) {
        Json detail = at;
        if (halving.ranked) {
            detail["rank"] = halving.rank_of(trial_id);
            detail["ranked"] = halving.good.size() + halving.bad.size();
            detail["kept"] = halving.kept;
        }
        detail["value"] = display_number(values[trial_id]);
        detail["next_rung"] = display_number(halving.next_rung);
        detail["reason"] = reason;
        if (!reporter || *reporter != trial_id) detail["trigger"] = trigger;
        return detail;
    };

    Decision decision = Decision::pause(); // Ray's default; every reporter gets one below
    for (const std::string &trial_id : halving.bad) {
        if (is_reporter(trial_id)) {
            bracket.cleanup_trial(trial_id);
            decision = Decision::stop(ranked(trial_id, not_in_best));
        } else {
            // Ray expects every other loser PAUSED; a PENDING one (a trial the host retries)
            // or a RUNNING one is stopped the same way.
            stop_waiting(trial_id, bracket, ranked(trial_id, not_in_best));
        }
    }
    for (const std::string &trial_id : halving.good) {
        if (bracket.continue_trial(trial_id)) {
            if (is_reporter(trial_id)) decision = Decision::keep_going(ranked(trial_id, "promoted to the next rung"));
            else if (paused(trial_id)) bracket.to_unpause.insert(trial_id); // choose_trial_to_run may resume it
        } else if (bracket.finished()) { // finished() is false without stop_last_trials
            // Past the bracket's last milestone already (Ray #39157): stopped like the losers.
            if (is_reporter(trial_id)) {
                bracket.cleanup_trial(trial_id);
                decision = Decision::stop(ranked(trial_id, bracket_finished));
            } else if (paused(trial_id)) {
                stop_waiting(trial_id, bracket, ranked(trial_id, bracket_finished));
            }
        } else if (is_reporter(trial_id)) {
            decision = Decision::pause(ranked(trial_id, "promoted, already at the next rung: waiting for the others"));
        }
    }
    return decision;
}

void HyperbandScheduler::stop_waiting(const std::string &trial_id, Bracket &bracket, Json detail) {
    actions_.push_back(stop_action(trial_id, std::move(detail)));
    bracket.cleanup_trial(trial_id);
    if (TrialEntry *trial = trials_.find(trial_id)) trial->stopping = true;
}

std::int64_t HyperbandScheduler::next_decision_point(const std::string &trial_id, std::int64_t iteration) {
    const HyperbandOptions &opts = options();
    if (opts.time_attr != "training_iteration") return iteration + 1; // another clock: no foresight
    const TrialEntry &trial = trials_.at(trial_id);
    const Bracket &bracket = layout().brackets()[trial.bracket];
    if (trial.stopping || !bracket.contains(trial_id)) return iteration + 1;
    if (!opts.stop_last_trials && bracket.halvings_left() == 0) return kNoDecisionPoint; // CONTINUE to the end
    // Every result below the milestone continues, and the milestone only grows: it moves at a
    // halving, which needs every live trial of the bracket, this one included, at the milestone.
    const double milestone = bracket.milestone();
    if (milestone <= static_cast<double>(iteration + 1)) return iteration + 1;
    if (!(milestone < 9.0e18)) return kNoDecisionPoint; // beyond int64: never
    return static_cast<std::int64_t>(std::ceil(milestone));
}

void HyperbandScheduler::remove_trial(const std::string &trial_id) {
    const TrialEntry trial = trials_.at(trial_id);
    trials_.erase(trial_id);
    if (trial.stopping) return; // it left its bracket when its stop action was queued
    Bracket &bracket = layout().brackets()[trial.bracket];
    bracket.cleanup_trial(trial_id);
    if (!bracket.finished() && !bracket.being_processed) process_bracket(trial.bracket, nullptr, "end of " + trial_id);
}

void HyperbandScheduler::on_trial_error(const std::string &trial_id) {
    options();
    remove_trial(trial_id);
}

void HyperbandScheduler::on_trial_complete(const std::string &trial_id, const std::optional<Json> & /*result*/) {
    options();
    remove_trial(trial_id); // Ray records nothing of the last result
}

std::optional<std::string> HyperbandScheduler::pick(const Offered &offered) const {
    for (const std::size_t index : layout_->choice_order()) {
        const Bracket &bracket = layout_->brackets()[index];
        for (const LiveTrial &trial : bracket.live()) {
            auto found = offered.find(trial.trial_id);
            if (found == offered.end()) continue;
            if (found->second == "PENDING" || (found->second == "PAUSED" && bracket.to_unpause.count(trial.trial_id)))
                return trial.trial_id;
        }
    }
    return std::nullopt;
}

bool HyperbandScheduler::stalled(const Bracket &bracket, const Offered &offered) const {
    if (bracket.live().empty()) return false;
    for (const LiveTrial &trial : bracket.live()) {
        auto found = offered.find(trial.trial_id);
        if (found == offered.end() || found->second != "PAUSED") return false;
    }
    return true;
}

void HyperbandScheduler::complete_stalled_rung(std::size_t index) {
    Bracket &bracket = layout().brackets()[index];
    if (bracket.cur_iter_done()) {
        process_bracket(index, nullptr, "stalled rung: no trial of the bracket runs or can start");
        return;
    }
    // Paused below the milestone, so not by this scheduler (the host paused it): let it run on.
    for (const LiveTrial &trial : bracket.live())
        if (bracket.continue_trial(trial.trial_id)) bracket.to_unpause.insert(trial.trial_id);
}

std::optional<std::string> HyperbandScheduler::choose_trial_to_run(const std::vector<Candidate> &candidates) {
    options();
    const std::size_t queued_before = actions_.size(); // stops the host should have taken already
    Offered offered;
    bool any_pending = false;
    for (const Candidate &candidate : candidates) {
        offered.emplace(candidate.trial_id, candidate.status);
        any_pending = any_pending || candidate.status == "PENDING";
        // The host's word on a waiting trial's status: a retried trial is PENDING again.
        TrialEntry *trial = trials_.find(candidate.trial_id);
        if (trial && !trial->stopping)
            trial->status = candidate.status == "PENDING" ? TrialStatus::pending : TrialStatus::paused;
    }
    std::optional<std::string> chosen = pick(offered);
    // The ray#37605 guard. No PENDING candidate: the host creates none while nothing is
    // pending, so no trial will join a bracket now; a bracket whose live trials are all paused
    // waits for results that cannot come. Its rung completes with the trials it has.
    if (!chosen && !any_pending) {
        for (std::size_t index = 0; index < layout().brackets().size() && !chosen; ++index) {
            if (!stalled(layout().brackets()[index], offered)) continue;
            complete_stalled_rung(index);
            chosen = pick(offered);
        }
    }
    if (!chosen) {
        // Never stall: a trial stopped while paused that the host still offers (a host that
        // does not take actions), or one this scheduler does not know, runs; the former is
        // stopped at its next result. Stops queued by this very call are not taken yet.
        const auto queued = [&](const std::string &trial_id) {
            for (std::size_t i = queued_before; i < actions_.size(); ++i)
                if (actions_[i]["trial_id"] == trial_id) return true;
            return false;
        };
        for (const Candidate &candidate : candidates) {
            TrialEntry *trial = trials_.find(candidate.trial_id);
            if ((trial && !trial->stopping) || queued(candidate.trial_id)) continue;
            if (trial) trial->resumed_after_stop = true;
            chosen = candidate.trial_id;
            break;
        }
    }
    if (chosen)
        if (TrialEntry *trial = trials_.find(*chosen)) trial->status = TrialStatus::running;
    return chosen;
}

Json HyperbandScheduler::take_actions() {
    Json taken = Json::array();
    std::swap(taken, actions_);
    return taken;
}

Json HyperbandScheduler::describe_state() {
    const HyperbandOptions &opts = options();
    const BandLayout &bands = layout();
    // Only the brackets with live trials: a long experiment leaves many behind, done.
    Json brackets = Json::array();
    for (const Bracket &bracket : bands.brackets()) {
        if (bracket.live().empty()) continue;
        std::size_t paused = 0;
        for (const LiveTrial &trial : bracket.live())
            paused += trials_.find(trial.trial_id) && trials_.at(trial.trial_id).status == TrialStatus::paused;
        brackets.push_back({{"band", bracket.band()},
                            {"bracket", bracket.s()},
                            {"trials", bracket.live().size()},
                            {"max_trials", display_number(bracket.planned_trials())},
                            {"milestone", display_number(bracket.milestone())},
                            {"halvings_left", bracket.halvings_left()},
                            {"reached", bracket.reached_milestone()},
                            {"paused", paused},
                            {"completed", display_number(bracket.completion_percentage())}});
    }
    return {{"scheduler", "hyperband"},
            {"metric", opts.metric},
            {"mode", opts.mode == TUNE_MODE_MAX ? "max" : "min"},
            {"time_attr", opts.time_attr},
            {"max_t", display_number(opts.max_t)},
            {"reduction_factor", display_number(opts.reduction_factor)},
            {"stop_last_trials", opts.stop_last_trials},
            {"brackets_per_band", BandGeometry(opts.max_t, opts.reduction_factor).brackets_per_band()},
            {"bands", bands.bands().size()},
            {"bracket_count", bands.brackets().size()},
            {"skipped_brackets", bands.skipped()},
            {"trials", trials_.size() - trials_.stopping()},
            {"stopped", stopped_},
            {"brackets", brackets}};
}

std::string HyperbandScheduler::save() {
    const HyperbandOptions &opts = options();
    return Json{{"format", state_format},
                {"time_attr", opts.time_attr},
                {"metric", opts.metric},
                {"max_t", encode_double(opts.max_t)},
                {"reduction_factor", encode_double(opts.reduction_factor)},
                {"layout", layout().save()},
                {"trials", trials_.save()},
                {"stopped", stopped_},
                {"actions", actions_}}
        .dump();
}

void HyperbandScheduler::restore(const std::string &text) {
    const HyperbandOptions &opts = options();
    const Json state = parse_saved_state(text, "hyperband", state_format);
    // Recorded values are of time_attr and the metric, and the bands' shape follows max_t and
    // reduction_factor: state saved under others would mean nothing.
    const auto require_same = [&](const char *key, const Json &expected) {
        const Json &saved = json_field(state, key);
        if (saved != expected)
            throw StateError(std::string("saved hyperband state was recorded with ") + key + " " + saved.dump() +
                             " but the options give " + expected.dump());
    };
    require_same("time_attr", opts.time_attr);
    require_same("metric", opts.metric);
    require_same("max_t", encode_double(opts.max_t));
    require_same("reduction_factor", encode_double(opts.reduction_factor));

    // Build everything aside first: a failed restore leaves the scheduler as it was.
    BandLayout restored(BandGeometry(opts.max_t, opts.reduction_factor), opts.stop_last_trials);
    restored.restore(json_field(state, "layout"));
    TrialRegistry registry = TrialRegistry::restore(json_field(state, "trials"), restored.brackets().size());
    for (const Bracket &bracket : restored.brackets())
        for (const LiveTrial &trial : bracket.live()) {
            const TrialEntry *entry = registry.find(trial.trial_id);
            if (!entry || entry->stopping || &restored.brackets()[entry->bracket] != &bracket)
                throw StateError("saved hyperband state: live trial '" + trial.trial_id + "' is not a trial of its bracket");
        }
    const Json &stopped = json_field(state, "stopped");
    const Json &actions = json_field(state, "actions");
    if (!stopped.is_number_unsigned() || !actions.is_array())
        throw StateError("saved hyperband state needs an integer 'stopped' and an array 'actions'");

    layout_ = std::move(restored);
    trials_ = std::move(registry);
    stopped_ = stopped.get<std::uint64_t>();
    actions_ = actions;
}

} // namespace tune::hyperband

TUNE_PLUGIN_LIBRARY(tune::hyperband::HyperbandScheduler);
