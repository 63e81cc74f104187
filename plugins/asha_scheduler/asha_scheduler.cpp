#include "asha_scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "tune/sdk/json_numbers.hpp"

namespace tune::asha {

namespace {

constexpr const char *state_format = "org.tune.scheduler.asha/1";

} // namespace

const AshaOptions &AshaScheduler::options() const {
    if (!options_) throw StateError("the ASHA scheduler was not set up: call setup first");
    return *options_;
}

void AshaScheduler::setup(const SchedulerSettings &settings) {
    AshaOptions parsed = parse_asha_options(settings);
    metric_op_ = parsed.mode == TUNE_MODE_MAX ? 1.0 : -1.0;
    brackets_.clear();
    for (std::size_t s = 0; s < parsed.brackets; ++s)
        brackets_.emplace_back(s, parsed.grace_period, parsed.max_t, parsed.reduction_factor, parsed.stop_last_trials);
    trial_brackets_.clear();
    awaiting_promotion_.clear();
    rng_.seed(parsed.seed);
    stopped_ = 0;
    options_ = std::move(parsed);
}

std::size_t AshaScheduler::draw_bracket() {
    // Ray: probabilities proportional to e^(rungs - most rungs), favouring brackets with more rungs.
    std::size_t most_rungs = 0;
    for (const Bracket &bracket : brackets_) most_rungs = std::max(most_rungs, bracket.rungs().size());
    std::vector<double> weights;
    double total = 0;
    for (const Bracket &bracket : brackets_) {
        weights.push_back(std::exp(static_cast<double>(bracket.rungs().size()) - static_cast<double>(most_rungs)));
        total += weights.back();
    }
    // A uniform double in [0, 1) from the top 53 bits: the same on every standard library.
    const double point = static_cast<double>(rng_() >> 11) * 0x1.0p-53 * total;
    double cumulative = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        cumulative += weights[i];
        if (point < cumulative) return i;
    }
    return weights.size() - 1; // point rounded up to total
}

void AshaScheduler::on_trial_add(const std::string &trial_id, const Json & /*config*/) {
    options();
    if (trial_brackets_.count(trial_id)) throw StateError("trial '" + trial_id + "' was already added");
    trial_brackets_.emplace(trial_id, draw_bracket());
}

Bracket &AshaScheduler::bracket_of(const std::string &trial_id) {
    auto found = trial_brackets_.find(trial_id);
    if (found == trial_brackets_.end())
        throw StateError("trial '" + trial_id + "' is unknown to the ASHA scheduler (never added, or already ended)");
    return brackets_[found->second];
}

std::optional<AshaScheduler::Observation> AshaScheduler::observe(const Json &result, std::string &why_not) const {
    const AshaOptions &opts = options();
    const auto read = read_time_and_metric(result, opts.time_attr, opts.metric, why_not);
    if (!read) return std::nullopt;
    return Observation{read->time, metric_op_ * read->value};
}

Decision AshaScheduler::on_trial_result(const std::string &trial_id, const Json &result) {
    const AshaOptions &opts = options();
    Bracket &bracket = bracket_of(trial_id);
    std::string why_not;
    const std::optional<Observation> observed = observe(result, why_not);
    if (!observed) return Decision::keep_going({{"reason", why_not}});

    // The trial reports, so it runs: it no longer waits for a promotion.
    awaiting_promotion_.erase(trial_id);
    Decision decision;
    if (observed->time >= opts.max_t && opts.stop_last_trials) {
        decision = Decision::stop(
            {{"time", display_number(observed->time)}, {"bracket", bracket.index()}, {"reason", "max_t reached"}});
    } else if (opts.variant == Variant::promotion) {
        decision = bracket.on_promotion_result(trial_id, observed->time, observed->reward);
    } else {
        decision = bracket.on_result(trial_id, observed->time, observed->reward);
    }
    if (decision.action == TUNE_DECISION_STOP) ++stopped_;
    if (decision.action == TUNE_DECISION_PAUSE) awaiting_promotion_.insert(trial_id);
    return decision;
}

std::int64_t AshaScheduler::next_decision_point(const std::string &trial_id, std::int64_t iteration) {
    const AshaOptions &opts = options();
    if (opts.time_attr != "training_iteration") return iteration + 1; // another clock: no foresight
    const auto now = static_cast<double>(iteration);
    double next = std::numeric_limits<double>::infinity();
    if (opts.stop_last_trials) {
        if (opts.max_t <= now) return iteration + 1;
        next = opts.max_t;
    }
    for (const Rung &rung : bracket_of(trial_id).rungs()) {
        if (rung.milestone() > now) next = std::min(next, rung.milestone());
        else if (!rung.contains(trial_id)) return iteration + 1; // reached but not judged there yet
    }
    // The first iteration at or past the milestone; beyond int64, never.
    if (!(next < 9.0e18)) return kNoDecisionPoint;
    return std::max(iteration + 1, static_cast<std::int64_t>(std::ceil(next)));
}

void AshaScheduler::on_trial_error(const std::string &trial_id) {
    options();
    // Its recorded rewards stay in the rungs, as in Ray.
    trial_brackets_.erase(trial_id);
    awaiting_promotion_.erase(trial_id);
}

void AshaScheduler::on_trial_complete(const std::string &trial_id, const std::optional<Json> &result) {
    const AshaOptions &opts = options();
    Bracket &bracket = bracket_of(trial_id);
    std::string why_not;
    const std::optional<Observation> observed = result ? observe(*result, why_not) : std::nullopt;
    // Ray records the last result once more (its decision is moot: the trial has ended).
    if (observed && opts.variant == Variant::promotion)
        bracket.record_final(trial_id, observed->time, observed->reward);
    else if (observed)
        bracket.on_result(trial_id, observed->time, observed->reward);
    trial_brackets_.erase(trial_id);
    awaiting_promotion_.erase(trial_id);
}

std::optional<std::string> AshaScheduler::choose_trial_to_run(const std::vector<Candidate> &candidates) {
    if (options().variant == Variant::promotion) return choose_promotion(candidates);
    return Scheduler::choose_trial_to_run(candidates);
}

std::optional<std::string> AshaScheduler::choose_promotion(const std::vector<Candidate> &candidates) {
    // The ASHA paper promotes from the highest rung first; within a milestone, the best reward.
    struct Promotion {
        const std::string *trial_id;
        std::size_t rung_index;
        double milestone;
        double reward;
    };
    std::optional<Promotion> best;
    for (const Candidate &candidate : candidates) {
        if (candidate.status != "PAUSED" || !awaiting_promotion_.count(candidate.trial_id)) continue;
        const Bracket &bracket = bracket_of(candidate.trial_id);
        const std::optional<std::size_t> rung_index = bracket.promotable_rung(candidate.trial_id);
        if (!rung_index) continue;
        const Rung &rung = bracket.rungs()[*rung_index];
        const Promotion promotion{&candidate.trial_id, *rung_index, rung.milestone(),
                                  *rung.reward_of(candidate.trial_id)};
        if (!best || promotion.milestone > best->milestone ||
            (promotion.milestone == best->milestone && promotion.reward > best->reward))
            best = promotion;
    }
    if (best) {
        bracket_of(*best->trial_id).promote(*best->trial_id, best->rung_index);
        awaiting_promotion_.erase(*best->trial_id);
        return *best->trial_id;
    }
    for (const Candidate &candidate : candidates)
        if (candidate.status == "PENDING") return candidate.trial_id;
    // A trial paused by someone else (the host) is not waiting for a promotion.
    for (const Candidate &candidate : candidates)
        if (candidate.status == "PAUSED" && !awaiting_promotion_.count(candidate.trial_id)) return candidate.trial_id;
    return std::nullopt;
}

Json AshaScheduler::describe_state() {
    const AshaOptions &opts = options();
    std::vector<std::size_t> live(brackets_.size(), 0);
    for (const auto &[trial_id, index] : trial_brackets_) ++live[index];
    Json brackets = Json::array();
    for (const Bracket &bracket : brackets_)
        brackets.push_back({{"bracket", bracket.index()},
                            {"trials", live[bracket.index()]},
                            {"rungs", bracket.describe(metric_op_, opts.variant)}});
    Json state{{"scheduler", "asha"},
               {"variant", variant_name(opts.variant)},
               {"metric", opts.metric},
               {"mode", opts.mode == TUNE_MODE_MAX ? "max" : "min"},
               {"time_attr", opts.time_attr},
               {"max_t", display_number(opts.max_t)},
               {"trials", trial_brackets_.size()},
               {"stopped", stopped_},
               {"brackets", brackets}};
    if (opts.variant == Variant::promotion) state["awaiting_promotion"] = awaiting_promotion_.size();
    return state;
}

std::string AshaScheduler::save() {
    const AshaOptions &opts = options();
    Json brackets = Json::array();
    for (const Bracket &bracket : brackets_) brackets.push_back(bracket.save());
    std::ostringstream rng;
    rng << rng_;
    return Json{{"format", state_format},
                {"variant", variant_name(opts.variant)},
                {"brackets", brackets},
                {"trials", trial_brackets_},
                {"awaiting_promotion", awaiting_promotion_},
                {"rng", rng.str()},
                {"stopped", stopped_}}
        .dump();
}

void AshaScheduler::restore(const std::string &text) {
    const AshaOptions &opts = options();
    const Json state = parse_saved_state(text, "ASHA", state_format);
    const Json &saved_variant = json_field(state, "variant");
    if (saved_variant != variant_name(opts.variant))
        throw StateError("saved ASHA state has variant " + saved_variant.dump() + " but the options give \"" +
                         variant_name(opts.variant) + "\"");
    const Json &saved_brackets = json_field(state, "brackets");
    if (!saved_brackets.is_array() || saved_brackets.size() != brackets_.size())
        throw StateError("saved ASHA state has " + std::to_string(saved_brackets.size()) +
                         " brackets but the options give " + std::to_string(brackets_.size()));

    // Build everything aside first: a failed restore leaves the scheduler as it was.
    std::vector<Bracket> brackets = brackets_;
    for (std::size_t i = 0; i < brackets.size(); ++i) brackets[i].restore(saved_brackets[i]);

    std::map<std::string, std::size_t> trial_brackets;
    const Json &saved_trials = json_field(state, "trials");
    if (!saved_trials.is_object()) throw StateError("saved ASHA state needs an object 'trials'");
    for (const auto &item : saved_trials.items()) {
        if (!item.value().is_number_unsigned() || item.value().get<std::size_t>() >= brackets.size())
            throw StateError("saved ASHA state: trial '" + item.key() + "' has no valid bracket");
        trial_brackets.emplace(item.key(), item.value().get<std::size_t>());
    }

    std::set<std::string> awaiting;
    const Json &saved_awaiting = json_field(state, "awaiting_promotion");
    if (!saved_awaiting.is_array()) throw StateError("saved ASHA state needs an array 'awaiting_promotion'");
    for (const Json &trial_id : saved_awaiting) {
        if (!trial_id.is_string() || !trial_brackets.count(trial_id.get<std::string>()))
            throw StateError("saved ASHA state: awaiting_promotion lists an unknown trial " + trial_id.dump());
        awaiting.insert(trial_id.get<std::string>());
    }

    std::mt19937_64 rng;
    const Json &saved_rng = json_field(state, "rng");
    std::istringstream rng_text(saved_rng.is_string() ? saved_rng.get<std::string>() : std::string());
    rng_text >> rng;
    if (rng_text.fail()) throw StateError("saved ASHA state has no valid 'rng'");

    const Json &stopped = json_field(state, "stopped");
    if (!stopped.is_number_unsigned()) throw StateError("saved ASHA state needs an integer 'stopped'");

    brackets_ = std::move(brackets);
    trial_brackets_ = std::move(trial_brackets);
    awaiting_promotion_ = std::move(awaiting);
    rng_ = rng;
    stopped_ = stopped.get<std::uint64_t>();
}

} // namespace tune::asha

TUNE_PLUGIN_LIBRARY(tune::asha::AshaScheduler);
