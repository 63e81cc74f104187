// org.tune.scheduler.median_stopping: the median stopping rule of Google Vizier, making exactly
// the decisions of Ray Tune's MedianStoppingRule (see docs/schedulers.md). A trial past the
// grace period whose best result is worse than the median of the other trials' running means
// at the same time stops (or pauses, without hard_stop).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "median_options.hpp"
#include "result_history.hpp"
#include "trial_tracker.hpp"
#include "tune/plugin.hpp"

namespace tune::median_stopping {

class MedianStoppingScheduler final : public Scheduler {
public:
    static constexpr const char *id = "org.tune.scheduler.median_stopping";
    static constexpr const char *version = "1.0.0";
    static constexpr const char *description =
        "Median stopping rule (Ray Tune's MedianStoppingRule): stops trials worse than the median of the others";
    // Judges from iteration 3 on; min_time_slice 100 lets a worse trial yield once at most, so
    // that two trials never take turns pausing each other without end.
    static constexpr const char *example_config = R"({"metric": "loss", "mode": "min", "seed": 1,
        "options": {"time_attr": "training_iteration", "grace_period": 2, "min_samples_required": 2,
                    "min_time_slice": 100}})";

    void setup(const SchedulerSettings &settings) override;
    void on_trial_add(const std::string &trial_id, const Json &config) override;
    Decision on_trial_result(const std::string &trial_id, const Json &result) override;
    // Nothing before the grace period, when time_attr is training_iteration.
    std::int64_t next_decision_point(const std::string &trial_id, std::int64_t iteration) override;
    void on_trial_error(const std::string &trial_id) override;
    void on_trial_complete(const std::string &trial_id, const std::optional<Json> &result) override;
    std::optional<std::string> choose_trial_to_run(const std::vector<Candidate> &candidates) override;
    Json describe_state() override;
    std::string save() override;
    void restore(const std::string &state) override;

private:
    // What a result says for the rule: its time_attr and its metric (NaN for null).
    struct Observation {
        double time;
        double value;
    };
    // The latest comparison with a median, for describe_state.
    struct Judgement {
        double time;
        double median;
        std::size_t compared;
    };

    const MedianOptions &options() const; // throws StateError before setup
    // The observation in result, or nullopt with why_not set if time_attr or the metric is
    // missing. Throws for a value that is not a number (a null metric is NaN).
    std::optional<Observation> observe(const Json &result, std::string &why_not) const;
    // Fewer other trials than min_samples_required: yield to a waiting trial, or continue.
    Decision on_too_few(const std::string &trial_id, TrackedTrial &trial, double time, std::size_t compared);
    // Compare the trial's best result with the median of the others' running means.
    Decision judge(const std::string &trial_id, TrackedTrial &trial, double time,
                   const std::vector<std::string> &others);

    std::optional<MedianOptions> options_;
    ResultHistory history_;
    TrialTracker tracker_;
    std::optional<Judgement> last_judgement_;
    std::uint64_t stopped_ = 0; // trials the rule stopped (or paused, without hard_stop)
    std::uint64_t yielded_ = 0; // PAUSE decisions for too few trials to compare
};

} // namespace tune::median_stopping
