// One ASHA bracket: its rungs, from the highest milestone down, and the decisions taken on
// them. Bracket s has rungs at min_t * rf^(k + s) for k = 0 .. int(log(max_t/min_t)/log(rf) - s + 1) - 1,
// exactly as Ray Tune's _Bracket.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "asha_options.hpp"
#include "asha_rung.hpp"

namespace tune::asha {

class Bracket {
public:
    Bracket(std::size_t index, double min_t, double max_t, double reduction_factor, bool stop_last_trials);

    std::size_t index() const { return index_; }
    const std::vector<Rung> &rungs() const { return rungs_; } // highest milestone first

    // Ray's _Bracket.on_result (stopping variant). Takes the highest rung the trial reached
    // and is not recorded at, compares reward with that rung's cutoff computed before
    // recording, then records it: STOP if strictly below the cutoff, else CONTINUE.
    Decision on_result(const std::string &trial_id, double time, double reward);

    // Promotion variant: when the trial first reaches a rung (the highest milestone <= time)
    // its reward is recorded there; CONTINUE (promoted) if it is in the rung's top, else PAUSE.
    Decision on_promotion_result(const std::string &trial_id, double time, double reward);

    // Promotion variant, for a trial that ended: records the reward like
    // on_promotion_result but decides nothing and promotes nothing.
    void record_final(const std::string &trial_id, double time, double reward);

    // Promotion variant: the index in rungs() of the trial's highest recorded rung if the
    // trial is in that rung's top and was not promoted from it yet.
    std::optional<std::size_t> promotable_rung(const std::string &trial_id) const;
    void promote(const std::string &trial_id, std::size_t rung_index);

    // For describe_state: per rung, its milestone, how many trials are recorded and the
    // cutoff in the metric's own sign (metric_op * cutoff).
    Json describe(double metric_op, Variant variant) const;

    // {"rungs": [Rung::save(), ...]}.
    Json save() const;
    // Replaces the recorded rewards with saved ones. Throws StateError if the state is
    // malformed or its milestones differ from this bracket's (other options).
    void restore(const Json &state);

private:
    // The highest rung whose milestone time has reached, or nullptr.
    Rung *highest_reached(double time);

    std::size_t index_;
    double reduction_factor_;
    bool stop_last_trials_;
    std::vector<Rung> rungs_;
};

} // namespace tune::asha
