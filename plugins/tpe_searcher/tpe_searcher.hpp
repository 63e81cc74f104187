// org.tune.searcher.tpe: the Tree-structured Parzen Estimator, as Optuna's TPESampler (3.x)
// does it. Random configs until n_startup_trials trials finished; then, per suggestion, the
// finished trials split into the best gamma(n) and the rest, a Parzen estimator l(x) on the
// first and g(x) on the second (with constant_liar, the running trials count among the rest
// as the worst), n_ei_candidates draws from l(x), and the draw with the largest
// log l(x) - log g(x). Independently per dimension, or jointly with multivariate. Proposes
// num_samples configs, then finishes. docs/searchers.md describes the options.
#pragma once

#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "tpe_history.hpp"
#include "tpe_options.hpp"
#include "tpe_space.hpp"
#include "tune/sdk/searcher.hpp"

namespace tune::tpe {

class TpeSearcher final : public tune::Searcher {
public:
    static constexpr const char *id = "org.tune.searcher.tpe";
    static constexpr const char *version = "1.0.0";
    static constexpr const char *description =
        "Tree-structured Parzen Estimator (Optuna's TPESampler): random configs first, then the best of "
        "n_ei_candidates draws from l(x) by l(x)/g(x); constant liar for running trials";
    static constexpr const char *example_config = R"({"metric": "loss", "mode": "min", "seed": 1, "num_samples": 12,
        "space": {"lr": {"loguniform": [0.0001, 0.1]}, "batch_size": {"choice": [16, 32, 64]},
                  "layers": {"randint": [1, 5]}}, "options": {"n_startup_trials": 4}})";

    void setup(const SearcherSettings &settings) override;
    Suggestion suggest(const std::string &trial_id) override;
    void on_result(const std::string &trial_id, const Json &result) override;
    void on_complete(const std::string &trial_id, const std::optional<Json> &result, bool failed) override;
    std::string save() override;
    void restore(const std::string &state) override;

    const TpeSpace &space() const;
    const TpeOptions &options() const { return options_; }
    const TpeHistory &history() const;

private:
    // The model value of every dimension for the next trial.
    std::vector<double> propose();
    // TPE's choice in the dimensions `dims` (one, or all modelled ones with multivariate).
    void choose(const std::vector<std::size_t> &dims, const TpeHistory::Split &split, std::vector<double> &values);

    std::optional<TpeSpace> space_;
    TpeOptions options_;
    std::optional<TpeHistory> history_;
    std::mt19937_64 rng_;
    long long num_samples_ = 0;
    // Of the current suggestion: the mixtures' weights, and each trial's index among the
    // observations of l(x) and of g(x) (or -1).
    std::shared_ptr<const MixtureWeights> below_weights_, above_weights_;
    std::vector<std::size_t> below_position_, above_position_;
};

} // namespace tune::tpe
