#include "asha_bracket.hpp"

#include <cmath>

#include "tune/sdk/json_numbers.hpp"

namespace tune::asha {

namespace {

const char *stopping_reason(const std::optional<double> &cutoff, double reward) {
    if (!cutoff) return "first trial at rung";
    if (std::isnan(*cutoff)) return "no finite reward at rung";
    if (std::isnan(reward)) return "reward is NaN";
    return reward < *cutoff ? "below cutoff" : "not below cutoff";
}

} // namespace

Bracket::Bracket(std::size_t index, double min_t, double max_t, double reduction_factor, bool stop_last_trials)
    : index_(index), reduction_factor_(reduction_factor), stop_last_trials_(stop_last_trials) {
    // Python's int() truncates toward zero; a bracket with no rung never stops a trial.
    const double rung_count =
        std::trunc(std::log(max_t / min_t) / std::log(reduction_factor) - static_cast<double>(index) + 1.0);
    for (double k = rung_count - 1; k >= 0; --k)
        rungs_.emplace_back(min_t * std::pow(reduction_factor, k + static_cast<double>(index)));
}

Decision Bracket::on_result(const std::string &trial_id, double time, double reward) {
    Json detail{{"time", display_number(time)}, {"bracket", index_}};
    for (Rung &rung : rungs_) {
        // Already judged at the highest rung reached: with stop_last_trials off, Ray looks no
        // lower. With it on, Ray goes on down and judges any lower rung the trial skipped.
        if (time >= rung.milestone() && rung.contains(trial_id) && !stop_last_trials_) break;
        if (time < rung.milestone() || rung.contains(trial_id)) continue;

        const std::optional<double> cutoff = rung.cutoff(reduction_factor_);
        detail["rung"] = display_number(rung.milestone());
        detail["recorded"] = rung.size();
        detail["cutoff"] = cutoff ? display_number(*cutoff) : Json(nullptr);
        detail["value"] = display_number(reward);
        rung.record(trial_id, reward);

        detail["reason"] = stopping_reason(cutoff, reward);
        // Ray's test, exactly: NaN compares false, so a NaN cutoff or reward stops nobody.
        if (cutoff && reward < *cutoff) return Decision::stop(std::move(detail));
        return Decision::keep_going(std::move(detail));
    }
    detail["reason"] = "no new rung reached";
    return Decision::keep_going(std::move(detail));
}

Rung *Bracket::highest_reached(double time) {
    for (Rung &rung : rungs_)
        if (time >= rung.milestone()) return &rung;
    return nullptr;
}

Decision Bracket::on_promotion_result(const std::string &trial_id, double time, double reward) {
    Json detail{{"time", display_number(time)}, {"bracket", index_}};
    Rung *rung = highest_reached(time);
    if (!rung || rung->contains(trial_id)) {
        detail["reason"] = "no new rung reached";
        return Decision::keep_going(std::move(detail));
    }
    rung->record(trial_id, reward);
    const std::optional<double> threshold = rung->top_threshold(reduction_factor_);
    detail["rung"] = display_number(rung->milestone());
    detail["recorded"] = rung->size();
    detail["cutoff"] = threshold ? display_number(*threshold) : Json(nullptr);
    detail["value"] = display_number(reward);
    detail["rank"] = rung->rank_of(trial_id);
    detail["top"] = rung->top_size(reduction_factor_);
    if (rung->in_top(trial_id, reduction_factor_)) {
        rung->mark_promoted(trial_id);
        detail["reason"] = "promoted: in the rung's top";
        return Decision::keep_going(std::move(detail));
    }
    detail["reason"] = "paused: not in the rung's top";
    return Decision::pause(std::move(detail));
}

void Bracket::record_final(const std::string &trial_id, double time, double reward) {
    Rung *rung = highest_reached(time);
    if (rung && !rung->contains(trial_id)) rung->record(trial_id, reward);
}

std::optional<std::size_t> Bracket::promotable_rung(const std::string &trial_id) const {
    for (std::size_t i = 0; i < rungs_.size(); ++i) {
        if (!rungs_[i].contains(trial_id)) continue;
        // Only the highest rung the trial is recorded at counts.
        if (rungs_[i].in_top(trial_id, reduction_factor_) && !rungs_[i].promoted(trial_id)) return i;
        return std::nullopt;
    }
    return std::nullopt;
}

void Bracket::promote(const std::string &trial_id, std::size_t rung_index) {
    rungs_.at(rung_index).mark_promoted(trial_id);
}

Json Bracket::describe(double metric_op, Variant variant) const {
    Json rungs = Json::array();
    for (const Rung &rung : rungs_) {
        const std::optional<double> cutoff = variant == Variant::promotion ? rung.top_threshold(reduction_factor_)
                                                                           : rung.cutoff(reduction_factor_);
        Json described{{"milestone", display_number(rung.milestone())},
                       {"recorded", rung.size()},
                       {"cutoff", cutoff ? display_number(metric_op * *cutoff) : Json(nullptr)}};
        if (variant == Variant::promotion) {
            described["top"] = rung.top_size(reduction_factor_);
            described["promoted"] = rung.promoted_count();
        }
        rungs.push_back(std::move(described));
    }
    return rungs;
}

Json Bracket::save() const {
    Json rungs = Json::array();
    for (const Rung &rung : rungs_) rungs.push_back(rung.save());
    return {{"rungs", rungs}};
}

void Bracket::restore(const Json &state) {
    const std::string where = "bracket " + std::to_string(index_);
    if (!state.is_object() || !state.contains("rungs") || !state["rungs"].is_array())
        throw StateError("saved ASHA state: " + where + " needs an array 'rungs'");
    const Json &saved = state["rungs"];
    bool same_milestones = saved.size() == rungs_.size();
    for (std::size_t i = 0; same_milestones && i < rungs_.size(); ++i)
        same_milestones =
            saved[i].is_object() && saved[i].contains("milestone") &&
            decode_double(saved[i]["milestone"], "saved ASHA state: " + where + " milestone") == rungs_[i].milestone();
    if (!same_milestones) {
        Json milestones = Json::array();
        for (const Rung &rung : rungs_) milestones.push_back(display_number(rung.milestone()));
        throw StateError("saved ASHA state: " + where + " does not have the rung milestones " + milestones.dump() +
                         " that the options give; it was saved with other options");
    }

    std::vector<Rung> restored;
    for (std::size_t i = 0; i < rungs_.size(); ++i) restored.push_back(Rung::restore(saved[i], rungs_[i].milestone()));
    rungs_ = std::move(restored);
}

} // namespace tune::asha
