// org.tune.scheduler.hyperband: synchronous HyperBand, making exactly the decisions of Ray
// Tune's HyperBandScheduler (see docs/schedulers.md). Trials fill brackets in the order they
// are added; a trial that reaches its bracket's milestone is paused until every live trial of
// the bracket has reached it, then the best 1/reduction_factor go on from their checkpoints
// and the others stop (the paused ones through stop actions, ABI 1.2).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "band_layout.hpp"
#include "hyperband_options.hpp"
#include "trial_registry.hpp"
#include "tune/plugin.hpp"

namespace tune::hyperband {

class HyperbandScheduler final : public Scheduler {
public:
    static constexpr const char *id = "org.tune.scheduler.hyperband";
    static constexpr const char *version = "1.0.0";
    static constexpr const char *description =
        "Synchronous HyperBand (Ray Tune's HyperBandScheduler): successive halving in brackets, paused trials wait "
        "for their rung";
    static constexpr const char *example_config = R"({"metric": "loss", "mode": "min", "seed": 1,
        "options": {"max_t": 9, "reduction_factor": 3}})";

    void setup(const SchedulerSettings &settings) override;
    void on_trial_add(const std::string &trial_id, const Json &config) override;
    Decision on_trial_result(const std::string &trial_id, const Json &result) override;
    // The bracket's milestone, when time_attr is training_iteration: below it every result continues.
    std::int64_t next_decision_point(const std::string &trial_id, std::int64_t iteration) override;
    void on_trial_error(const std::string &trial_id) override;
    void on_trial_complete(const std::string &trial_id, const std::optional<Json> &result) override;
    std::optional<std::string> choose_trial_to_run(const std::vector<Candidate> &candidates) override;
    Json take_actions() override;
    Json describe_state() override;
    std::string save() override;
    void restore(const std::string &state) override;

private:
    // choose_trial_to_run's candidates: trial id -> "PENDING" or "PAUSED".
    using Offered = std::map<std::string, std::string>;

    const HyperbandOptions &options() const; // throws StateError before setup
    BandLayout &layout();
    // {"band", "bracket", "rung"}: where a decision or an action was taken.
    Json where(const Bracket &bracket) const;
    // Ray's _process_bracket. reporter: the trial whose result is answered, or nullptr when a
    // trial's end or a stalled rung triggered it (the returned decision is then dropped).
    Decision process_bracket(std::size_t bracket_index, const std::string *reporter, const std::string &trigger);
    // Ray's on_trial_remove, for on_trial_complete and on_trial_error.
    void remove_trial(const std::string &trial_id);
    // Ray's tune_controller.stop_trial of a waiting trial: a stop action, and the trial leaves
    // its bracket at once (Ray's stop_trial calls on_trial_remove before returning).
    void stop_waiting(const std::string &trial_id, Bracket &bracket, Json detail);
    // Ray's choose_trial_to_run among the candidates.
    std::optional<std::string> pick(const Offered &offered) const;
    // Every live trial of the bracket is a PAUSED candidate: none runs, none can report.
    bool stalled(const Bracket &bracket, const Offered &offered) const;
    // The ray#37605 guard: the bracket's rung completes with the trials it has.
    void complete_stalled_rung(std::size_t bracket_index);

    std::optional<HyperbandOptions> options_;
    std::optional<BandLayout> layout_;
    TrialRegistry trials_;
    double metric_op_ = 1;      // +1 for max, -1 for min, as Ray's _metric_op
    std::uint64_t stopped_ = 0; // Ray's _num_stopped: trials stopped by successive halvings
    Json actions_ = Json::array();
};

} // namespace tune::hyperband
