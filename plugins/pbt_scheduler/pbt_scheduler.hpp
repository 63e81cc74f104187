// org.tune.scheduler.pbt: Population Based Training, making the decisions of Ray Tune's
// PopulationBasedTraining (see docs/schedulers.md). At each perturbation point a trial in the
// upper quantile is checkpointed and one in the lower quantile exploits an upper trial: it
// continues from that trial's checkpoint with an explored copy of its config (actions,
// tune/scheduler.h ABI 1.2). Asynchronous by default; with synch, trials wait for each other
// at every perturbation time.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "pbt_options.hpp"
#include "pbt_population.hpp"
#include "pbt_quantiles.hpp"
#include "tune/plugin.hpp"

namespace tune::pbt {

class PbtScheduler final : public Scheduler {
public:
    static constexpr const char *id = "org.tune.scheduler.pbt";
    static constexpr const char *version = "1.0.0";
    static constexpr const char *description =
        "Population Based Training (Ray Tune's PopulationBasedTraining): lower trials clone upper ones and "
        "explore their hyperparameters";
    // Mutates "x", the hyperparameter of tune check-plugin's synthetic trials ({"x": 0..7}): PBT
    // refuses to mutate a key that a trial's config lacks.
    static constexpr const char *example_config = R"({"metric": "loss", "mode": "min", "seed": 1,
        "options": {"time_attr": "training_iteration", "perturbation_interval": 2,
                    "hyperparam_mutations": {"x": {"uniform": [0, 10]}}}})";

    void setup(const SchedulerSettings &settings) override;
    void on_trial_add(const std::string &trial_id, const Json &config) override;
    Decision on_trial_result(const std::string &trial_id, const Json &result) override;
    // Up to the trial's next perturbation point, when time_attr is training_iteration.
    std::int64_t next_decision_point(const std::string &trial_id, std::int64_t iteration) override;
    void on_trial_error(const std::string &trial_id) override;
    void on_trial_complete(const std::string &trial_id, const std::optional<Json> &result) override;
    std::optional<std::string> choose_trial_to_run(const std::vector<Candidate> &candidates) override;
    Json take_actions() override;
    Json describe_state() override;
    std::string save() override;
    void restore(const std::string &state) override;

private:
    // What a perturbation did to one trial (Ray's _checkpoint_or_exploit).
    struct Perturbed {
        bool checkpoint = false;    // upper quantile: checkpointed
        bool lower = false;         // lower quantile
        std::string donor;          // lower: the upper trial picked to clone
        bool exploited = false;     // lower, and the donor had a checkpoint
    };

    const PbtOptions &options() const; // throws StateError before setup
    double metric_of(double score) const; // a score back in the metric's own sign
    Quantiles current_quantiles() const;
    Perturbed checkpoint_or_exploit(PbtTrial &trial, const Quantiles &quantiles, double time);
    void exploit(PbtTrial &trial, const PbtTrial &donor, const Quantiles &quantiles, double time);
    Decision perturb_async(PbtTrial &trial, double time, Json detail);
    Decision perturb_synch(PbtTrial &trial, double time, Json detail);
    // The synchronous step: every trial is perturbed, upper quantile first. Returns what
    // happened to reporter (nothing for an empty id).
    Perturbed synchronize(double time, const std::string &reporter, const Quantiles &quantiles);
    // Live trials, other than except_id, that have not reached the next synchronous point.
    std::size_t behind_sync(const std::string &except_id) const;
    // After a trial ends (synch): if every live trial now waits at the perturbation time, the
    // step happens at once; Ray would wait for a result that never comes.
    void synchronize_if_all_waiting();
    Json quantile_detail(const Quantiles &quantiles) const;
    static void describe(const Perturbed &perturbed, Json &detail);

    std::optional<PbtOptions> options_;
    Population population_;
    std::mt19937_64 rng_;
    double next_perturbation_sync_ = 0.0;
    std::uint64_t num_checkpoints_ = 0;
    std::uint64_t num_perturbations_ = 0;
    Json actions_ = Json::array(); // queued for take_actions
};

} // namespace tune::pbt
