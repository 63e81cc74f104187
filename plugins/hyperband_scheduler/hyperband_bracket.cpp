#include "hyperband_bracket.hpp"

#include <algorithm>
#include <cmath>

#include "tune/sdk/json_numbers.hpp"

namespace tune::hyperband {

namespace {

// Ray's result time: None (no result yet) counts as 0.
double time_of(const LiveTrial &trial) { return trial.last ? trial.last->time : 0.0; }

// Python's sort of metric_op * metric: ascending, stable. A NaN key has no place there (Python
// compares it false both ways, so the order depends on where it sits); here it ranks lowest.
bool ranks_below(double a, double b) {
    if (std::isnan(a)) return !std::isnan(b);
    if (std::isnan(b)) return false;
    return a < b;
}

} // namespace

std::size_t Halving::rank_of(const std::string &trial_id) const {
    if (!ranked) return 0;
    const std::size_t total = bad.size() + good.size();
    for (std::size_t i = 0; i < bad.size(); ++i)
        if (bad[i] == trial_id) return total - i;
    for (std::size_t i = 0; i < good.size(); ++i)
        if (good[i] == trial_id) return good.size() - i;
    return 0;
}

Bracket::Bracket(std::size_t band, std::size_t s, const BandGeometry &geometry, bool stop_last_trials)
    : band_(band), s_(s), eta_(geometry.eta()), max_t_(geometry.max_t()), stop_last_trials_(stop_last_trials),
      n0_(geometry.initial_trials(s)), total_work_(geometry.total_work(s)), n_(n0_),
      r_(geometry.initial_milestone(s)), cumul_r_(r_), halves_(s) {}

const LiveTrial *Bracket::find(const std::string &trial_id) const {
    for (const LiveTrial &trial : live_)
        if (trial.trial_id == trial_id) return &trial;
    return nullptr;
}

LiveTrial *Bracket::find(const std::string &trial_id) {
    for (LiveTrial &trial : live_)
        if (trial.trial_id == trial_id) return &trial;
    return nullptr;
}

std::size_t Bracket::reached_milestone() const {
    return static_cast<std::size_t>(
        std::count_if(live_.begin(), live_.end(), [&](const LiveTrial &t) { return time_of(t) >= cumul_r_; }));
}

void Bracket::add_trial(const std::string &trial_id) {
    if (filled()) throw StateError("hyperband: cannot add trial '" + trial_id + "' to a filled bracket");
    live_.push_back({trial_id, std::nullopt});
}

bool Bracket::cur_iter_done() const {
    return std::all_of(live_.begin(), live_.end(), [&](const LiveTrial &t) { return time_of(t) >= cumul_r_; });
}

bool Bracket::finished() const {
    if (!stop_last_trials_) return false;
    return halves_ == 0 && cur_iter_done();
}

bool Bracket::continue_trial(const std::string &trial_id) const {
    const LiveTrial *trial = find(trial_id);
    if (!trial) throw StateError("hyperband: trial '" + trial_id + "' is not live in its bracket");
    if (!stop_last_trials_ && halves_ == 0) return true;
    return time_of(*trial) < cumul_r_;
}

bool Bracket::filled() const { return static_cast<double>(live_.size()) == n_; }

Halving Bracket::successive_halving(double metric_op) {
    Halving halving;
    halving.rung = cumul_r_;
    if (halves_ == 0 && !stop_last_trials_) {
        // Ray returns every live trial as good, in the order they were added, and changes nothing.
        halving.ranked = false;
        halving.next_rung = cumul_r_;
        halving.kept = live_.size();
        for (const LiveTrial &trial : live_) halving.good.push_back(trial.trial_id);
        return halving;
    }
    if (halves_ == 0) throw StateError("hyperband: successive halving of a bracket with no halving left");
    halves_ -= 1;
    n_ = std::ceil(n_ / eta_);
    r_ = std::trunc(std::min(r_ * eta_, max_t_));
    cumul_r_ = r_;
    halving.next_rung = cumul_r_;

    std::vector<const LiveTrial *> sorted;
    for (const LiveTrial &trial : live_) sorted.push_back(&trial);
    auto key = [&](const LiveTrial *trial) {
        return trial->last ? metric_op * trial->last->value : std::nan("");
    };
    std::stable_sort(sorted.begin(), sorted.end(),
                     [&](const LiveTrial *a, const LiveTrial *b) { return ranks_below(key(a), key(b)); });
    // Python's sorted[-n:] and sorted[:-n]: the top n (all if n >= len) and the rest.
    const std::size_t kept = std::min(sorted.size(), static_cast<std::size_t>(n_));
    halving.kept = static_cast<std::size_t>(n_);
    for (std::size_t i = 0; i < sorted.size(); ++i)
        (i < sorted.size() - kept ? halving.bad : halving.good).push_back(sorted[i]->trial_id);
    return halving;
}

void Bracket::update_trial_stats(const std::string &trial_id, const Recorded &result) {
    LiveTrial *trial = find(trial_id);
    if (!trial) throw StateError("hyperband: trial '" + trial_id + "' is not live in its bracket");
    // Ray only logs a result earlier than the previous one (a trial restored from a checkpoint);
    // its negative progress counts all the same.
    completed_progress_ += result.time - time_of(*trial);
    trial->last = result;
    to_unpause.erase(trial_id);
}

void Bracket::cleanup_trial(const std::string &trial_id) {
    live_.erase(std::remove_if(live_.begin(), live_.end(), [&](const LiveTrial &t) { return t.trial_id == trial_id; }),
                live_.end());
    to_unpause.erase(trial_id); // Ray leaves it there, but only live trials are ever looked up
}

double Bracket::completion_percentage() const {
    if (finished()) return 1.0;
    return std::min(completed_progress_ / total_work_, 1.0);
}

Json Bracket::save() const {
    Json live = Json::array();
    for (const LiveTrial &trial : live_) {
        if (trial.last) live.push_back({trial.trial_id, encode_double(trial.last->time), encode_double(trial.last->value)});
        else live.push_back({trial.trial_id, nullptr, nullptr});
    }
    return {{"band", band_},
            {"s", s_},
            {"n", encode_double(n_)},
            {"r", encode_double(r_)},
            {"cumul_r", encode_double(cumul_r_)},
            {"halves", halves_},
            {"progress", encode_double(completed_progress_)},
            {"being_processed", being_processed},
            {"live", live},
            {"to_unpause", to_unpause}};
}

void Bracket::restore(const Json &state) {
    const std::string what = "saved hyperband state: bracket " + std::to_string(s_) + " of band " + std::to_string(band_);
    if (!state.is_object() || json_field(state, "band") != band_ || json_field(state, "s") != s_)
        throw StateError(what + " is missing or saved for another bracket");
    const Json &halves = json_field(state, "halves");
    if (!halves.is_number_unsigned() || halves.get<std::size_t>() > s_)
        throw StateError(what + " needs an integer 'halves' <= " + std::to_string(s_));
    const Json &processing = json_field(state, "being_processed");
    const Json &saved_live = json_field(state, "live");
    const Json &saved_unpause = json_field(state, "to_unpause");
    if (!processing.is_boolean() || !saved_live.is_array() || !saved_unpause.is_array())
        throw StateError(what + " needs 'being_processed', 'live' and 'to_unpause'");

    std::vector<LiveTrial> live;
    for (const Json &entry : saved_live) {
        if (!entry.is_array() || entry.size() != 3 || !entry[0].is_string())
            throw StateError(what + ": a live trial must be [trial_id, time, value], got " + entry.dump());
        LiveTrial trial{entry[0].get<std::string>(), std::nullopt};
        if (!entry[1].is_null())
            trial.last = Recorded{decode_double(entry[1], what + " time"), decode_double(entry[2], what + " value")};
        live.push_back(std::move(trial));
    }
    std::set<std::string> unpause;
    for (const Json &trial_id : saved_unpause) {
        if (!trial_id.is_string()) throw StateError(what + ": to_unpause must list trial ids");
        unpause.insert(trial_id.get<std::string>());
    }
    const double n = decode_double(json_field(state, "n"), what + " n");
    const double r = decode_double(json_field(state, "r"), what + " r");
    const double cumul_r = decode_double(json_field(state, "cumul_r"), what + " cumul_r");
    const double progress = decode_double(json_field(state, "progress"), what + " progress");

    live_ = std::move(live);
    to_unpause = std::move(unpause);
    being_processed = processing.get<bool>();
    halves_ = halves.get<std::size_t>();
    n_ = n;
    r_ = r;
    cumul_r_ = cumul_r;
    completed_progress_ = progress;
}

} // namespace tune::hyperband
