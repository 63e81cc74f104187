#include "tpe_history.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tune/sdk/json_numbers.hpp"

namespace tune::tpe {
namespace {

std::optional<double> number_at(const Json &result, const char *key) {
    if (!result.is_object()) return std::nullopt;
    const auto found = result.find(key);
    if (found == result.end() || !found->is_number()) return std::nullopt;
    return found->get<double>();
}

const char *state_name(TrialState state) {
    switch (state) {
    case TrialState::running:
        return "running";
    case TrialState::finished:
        return "finished";
    case TrialState::failed:
        return "failed";
    }
    return "running";
}

} // namespace

std::optional<double> TpeHistory::loss_of(const Json &result) const {
    if (!result.is_object()) return std::nullopt;
    const auto found = result.find(metric_);
    if (found == result.end() || !found->is_number()) return std::nullopt;
    const double value = found->get<double>();
    if (std::isnan(value)) return std::numeric_limits<double>::infinity(); // Optuna ranks a NaN value last
    return maximize_ ? -value : value;
}

TrialRecord *TpeHistory::running(const std::string &id) {
    const auto found = index_.find(id);
    if (found == index_.end()) return nullptr;
    TrialRecord &trial = trials_[found->second];
    return trial.state == TrialState::running ? &trial : nullptr;
}

void TpeHistory::add(const std::string &id, std::vector<double> values) {
    index_.emplace(id, trials_.size());
    TrialRecord trial;
    trial.id = id;
    trial.values = std::move(values);
    trials_.push_back(std::move(trial));
    insert_sorted(trials_.size() - 1);
}

void TpeHistory::insert_sorted(std::size_t trial) {
    const std::vector<double> &values = trials_[trial].values;
    if (sorted_.size() != values.size()) sorted_.resize(values.size());
    for (std::size_t d = 0; d < values.size(); ++d) {
        std::vector<std::size_t> &order = sorted_[d];
        // After every equal value: the newest trial has the largest index.
        const auto at = std::upper_bound(order.begin(), order.end(), values[d],
                                         [&](double value, std::size_t i) { return value < trials_[i].values[d]; });
        order.insert(at, trial);
    }
}

void TpeHistory::on_result(const std::string &id, const Json &result) {
    TrialRecord *trial = running(id);
    if (!trial) return;
    ++trial->results;
    const std::optional<double> loss = loss_of(result);
    if (!loss) return;
    trial->reported = true;
    trial->last_step = number_at(result, "training_iteration").value_or(static_cast<double>(trial->results));
    trial->last_loss = *loss;
}

void TpeHistory::on_complete(const std::string &id, const std::optional<Json> &result, bool failed) {
    TrialRecord *trial = running(id);
    if (!trial) return;
    if (failed) {
        trial->state = TrialState::failed; // Optuna's sampler ignores failed trials
        return;
    }
    trial->state = TrialState::finished;
    ++finished_;
    const std::optional<double> loss = result ? loss_of(*result) : std::nullopt;
    if (loss) {
        const std::optional<double> step = number_at(*result, "training_iteration");
        const auto done = result->find("done");
        const bool completed = !step || (done != result->end() && done->is_boolean() && done->get<bool>());
        trial->rank = completed ? -std::numeric_limits<double>::infinity() : -*step;
        trial->loss = *loss;
    } else if (trial->reported) { // stopped without a final result: its last report
        trial->rank = -trial->last_step;
        trial->loss = trial->last_loss;
    } else { // Optuna's pruned trial without intermediate values
        trial->rank = 1.0;
        trial->loss = 0.0;
    }
}

TpeHistory::Split TpeHistory::split(std::size_t n_below, bool constant_liar) const {
    std::vector<std::size_t> ranked;
    ranked.reserve(finished_);
    for (std::size_t i = 0; i < trials_.size(); ++i)
        if (trials_[i].state == TrialState::finished) ranked.push_back(i);
    std::stable_sort(ranked.begin(), ranked.end(), [&](std::size_t a, std::size_t b) {
        const TrialRecord &x = trials_[a], &y = trials_[b];
        return x.rank < y.rank || (x.rank == y.rank && x.loss < y.loss);
    });
    n_below = std::min(n_below, ranked.size());
    Split split;
    split.below.assign(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(n_below));
    split.above.assign(ranked.begin() + static_cast<std::ptrdiff_t>(n_below), ranked.end());
    if (constant_liar) // running trials are the worst observations: Optuna's (inf, inf)
        for (std::size_t i = 0; i < trials_.size(); ++i)
            if (trials_[i].state == TrialState::running) split.above.push_back(i);
    std::sort(split.below.begin(), split.below.end());
    std::sort(split.above.begin(), split.above.end());
    return split;
}

Json TpeHistory::save() const {
    Json trials = Json::array();
    for (const TrialRecord &t : trials_) {
        Json values = Json::array();
        for (const double v : t.values) values.push_back(encode_double(v));
        trials.push_back({{"id", t.id},
                          {"values", std::move(values)},
                          {"state", state_name(t.state)},
                          {"rank", encode_double(t.rank)},
                          {"loss", encode_double(t.loss)},
                          {"reported", t.reported},
                          {"last_step", encode_double(t.last_step)},
                          {"last_loss", encode_double(t.last_loss)},
                          {"results", t.results}});
    }
    return trials;
}

void TpeHistory::restore(const Json &state, std::size_t dimensions) {
    const std::string what = "saved TPE state";
    if (!state.is_array()) throw StateError(what + ": \"trials\" must be an array");
    std::vector<TrialRecord> trials;
    std::unordered_map<std::string, std::size_t> index;
    std::size_t finished = 0;
    for (const Json &item : state) {
        const std::string where = what + ": trial " + std::to_string(trials.size());
        if (!item.is_object() || !item.contains("id") || !item["id"].is_string() || !item.contains("values") ||
            !item["values"].is_array() || item["values"].size() != dimensions || !item.contains("state") ||
            !item.contains("reported") || !item["reported"].is_boolean() || !item.contains("results") ||
            !item["results"].is_number_integer())
            throw StateError(where + " is malformed (expected id, values of " + std::to_string(dimensions) +
                             " dimensions, state, rank, loss, reported, last_step, last_loss, results)");
        TrialRecord t;
        t.id = item["id"].get<std::string>();
        for (const Json &v : item["values"]) t.values.push_back(decode_double(v, where + " value"));
        const Json &state_value = item["state"];
        if (state_value == "running")
            t.state = TrialState::running;
        else if (state_value == "finished")
            t.state = TrialState::finished;
        else if (state_value == "failed")
            t.state = TrialState::failed;
        else
            throw StateError(where + " state must be \"running\", \"finished\" or \"failed\", got " +
                             state_value.dump());
        t.rank = decode_double(item.value("rank", Json()), where + " rank");
        t.loss = decode_double(item.value("loss", Json()), where + " loss");
        t.reported = item["reported"].get<bool>();
        t.last_step = decode_double(item.value("last_step", Json()), where + " last_step");
        t.last_loss = decode_double(item.value("last_loss", Json()), where + " last_loss");
        t.results = item["results"].get<long long>();
        if (!index.emplace(t.id, trials.size()).second) throw StateError(where + " repeats the id " + t.id);
        if (t.state == TrialState::finished) ++finished;
        trials.push_back(std::move(t));
    }
    trials_ = std::move(trials);
    index_ = std::move(index);
    finished_ = finished;
    sorted_.assign(dimensions, {});
    for (std::size_t i = 0; i < trials_.size(); ++i) insert_sorted(i);
}

} // namespace tune::tpe
