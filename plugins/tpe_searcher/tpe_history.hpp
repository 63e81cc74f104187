// The trials TPE has suggested, with the model value of each of their dimensions and how they
// rank, as Optuna's TPESampler ranks the trials of a study: finished trials by their value;
// trials stopped early (by ASHA, HyperBand, median stopping, ...) as Optuna ranks pruned
// trials, by the last step they reached (the further the better), then by the value they
// reported there; failed trials not at all; and running trials, with constant_liar, behind all
// of them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "tune/sdk/common.hpp"

namespace tune::tpe {

enum class TrialState { running, finished, failed };

struct TrialRecord {
    std::string id;
    std::vector<double> values; // model values, one per dimension
    TrialState state = TrialState::running;
    // Finished trials rank by (rank, loss), lower first, as Optuna's (-step, value) pairs:
    // rank -inf for a trial that completed (its last result says done, or has no
    // training_iteration), -step for one stopped early at training_iteration step, and 1 (loss
    // 0) for one that ended without reporting the metric. loss is the metric, negated for
    // mode "max"; NaN counts as +inf.
    double rank = 0.0;
    double loss = 0.0;
    // The latest intermediate result that reported the metric, and the results seen.
    bool reported = false;
    double last_step = 0.0;
    double last_loss = 0.0;
    long long results = 0;
};

class TpeHistory {
public:
    TpeHistory(std::string metric, bool maximize) : metric_(std::move(metric)), maximize_(maximize) {}

    const std::vector<TrialRecord> &trials() const { return trials_; }
    std::size_t size() const { return trials_.size(); }
    // Trials that finished without failing: Optuna's n (complete and pruned trials).
    std::size_t finished() const { return finished_; }
    bool contains(const std::string &id) const { return index_.count(id) != 0; }
    // The indices of all trials in the order of their value in dimension d (ties in suggestion
    // order), kept as trials are added, so that the estimators need not sort.
    const std::vector<std::size_t> &sorted(std::size_t d) const { return sorted_.at(d); }

    // A newly suggested trial, running.
    void add(const std::string &id, std::vector<double> values);
    // Results and ends of trials this history does not hold, or that ended already, are ignored.
    void on_result(const std::string &id, const Json &result);
    void on_complete(const std::string &id, const std::optional<Json> &result, bool failed);

    // Splits the finished trials into the n_below best (l(x)) and the others (g(x)), each in
    // suggestion order; with constant_liar the running trials join the others.
    struct Split {
        std::vector<std::size_t> below;
        std::vector<std::size_t> above;
    };
    Split split(std::size_t n_below, bool constant_liar) const;

    Json save() const;
    // Replaces the trials with saved ones of `dimensions` values each; throws StateError and
    // changes nothing if the state is malformed.
    void restore(const Json &state, std::size_t dimensions);

private:
    // The metric of result as a loss (lower is better), or nullopt if it reports none.
    std::optional<double> loss_of(const Json &result) const;
    TrialRecord *running(const std::string &id);
    void insert_sorted(std::size_t trial);

    std::string metric_;
    bool maximize_;
    std::vector<TrialRecord> trials_;
    std::unordered_map<std::string, std::size_t> index_;
    std::vector<std::vector<std::size_t>> sorted_;
    std::size_t finished_ = 0;
};

} // namespace tune::tpe
