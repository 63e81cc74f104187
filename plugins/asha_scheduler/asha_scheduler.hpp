// org.tune.scheduler.asha: asynchronous successive halving. The default "stopping" variant
// makes exactly the decisions of Ray Tune's AsyncHyperBandScheduler; the "promotion" variant
// pauses trials at each rung and promotes the rung's best (see docs/schedulers.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "asha_bracket.hpp"
#include "asha_options.hpp"
#include "tune/plugin.hpp"

namespace tune::asha {

class AshaScheduler final : public Scheduler {
public:
    static constexpr const char *id = "org.tune.scheduler.asha";
    static constexpr const char *version = "1.0.0";
    static constexpr const char *description =
        "ASHA early stopping (Ray Tune's AsyncHyperBandScheduler), or ASHA promotion with variant=promotion";
    static constexpr const char *example_config = R"({"metric": "loss", "mode": "min", "seed": 1,
        "options": {"max_t": 8, "grace_period": 1, "reduction_factor": 2}})";

    void setup(const SchedulerSettings &settings) override;
    void on_trial_add(const std::string &trial_id, const Json &config) override;
    Decision on_trial_result(const std::string &trial_id, const Json &result) override;
    // The trial's next rung (or max_t), when time_attr is training_iteration.
    std::int64_t next_decision_point(const std::string &trial_id, std::int64_t iteration) override;
    void on_trial_error(const std::string &trial_id) override;
    void on_trial_complete(const std::string &trial_id, const std::optional<Json> &result) override;
    std::optional<std::string> choose_trial_to_run(const std::vector<Candidate> &candidates) override;
    Json describe_state() override;
    std::string save() override;
    void restore(const std::string &state) override;

private:
    // What a result says for ASHA: the time and the reward, sign-adjusted so higher is better.
    struct Observation {
        double time;
        double reward;
    };
    // The observation in result, or nullopt with why_not set if time_attr or the metric is
    // missing. Throws for a value that is not a number (a null metric is NaN).
    std::optional<Observation> observe(const Json &result, std::string &why_not) const;
    const AshaOptions &options() const; // throws StateError before setup
    Bracket &bracket_of(const std::string &trial_id);
    std::size_t draw_bracket();
    std::optional<std::string> choose_promotion(const std::vector<Candidate> &candidates);

    std::optional<AshaOptions> options_;
    double metric_op_ = 1; // +1 for max, -1 for min: rewards are always "higher is better"
    std::vector<Bracket> brackets_;
    std::map<std::string, std::size_t> trial_brackets_; // live trials -> index in brackets_
    std::set<std::string> awaiting_promotion_;          // trials this scheduler paused
    std::mt19937_64 rng_;                               // bracket choice
    std::uint64_t stopped_ = 0;                         // STOP decisions so far
};

} // namespace tune::asha
