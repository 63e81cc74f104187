// org.tune.scheduler.fifo: no early stopping. Every result continues, and the next trial to
// run is the first PENDING candidate, else the first PAUSED one. Its state, the live trials
// and the number of results seen, exists for progress displays and survives save/restore.
#include <cstdint>
#include <set>

#include "tune/plugin.hpp"

namespace {

constexpr const char *state_format = "org.tune.scheduler.fifo/1";

class FifoScheduler final : public tune::Scheduler {
public:
    static constexpr const char *id = "org.tune.scheduler.fifo";
    static constexpr const char *version = "1.0.0";
    static constexpr const char *description = "First in, first out: runs every trial to the end, no early stopping";
    static constexpr const char *example_config = R"({"metric": "loss", "mode": "min", "seed": 1, "options": {}})";

    void setup(const tune::SchedulerSettings &settings) override {
        if (!settings.options.empty())
            throw tune::ConfigError("unknown FIFO option '" + settings.options.begin().key() +
                                    "'; the FIFO scheduler takes no options");
        live_trials_.clear();
        results_ = 0;
    }

    void on_trial_add(const std::string &trial_id, const tune::Json & /*config*/) override {
        if (!live_trials_.insert(trial_id).second) throw tune::StateError("trial '" + trial_id + "' was already added");
    }

    bool reads_results() const override { return false; } // FIFO never looks inside a result
    tune::Decision on_trial_result(const std::string &trial_id, const tune::Json & /*result*/) override {
        // As every scheduler: only on_trial_complete and on_trial_error end a trial.
        if (!live_trials_.count(trial_id))
            throw tune::StateError("trial '" + trial_id +
                                   "' is unknown to the FIFO scheduler (never added, or already ended)");
        ++results_;
        return tune::Decision::keep_going();
    }
    std::int64_t next_decision_point(const std::string & /*trial_id*/, std::int64_t /*iteration*/) override {
        return kNoDecisionPoint; // FIFO never decides
    }

    void on_trial_error(const std::string &trial_id) override { live_trials_.erase(trial_id); }

    void on_trial_complete(const std::string &trial_id, const std::optional<tune::Json> & /*result*/) override {
        live_trials_.erase(trial_id);
    }

    // choose_trial_to_run: tune::Scheduler's default is exactly FIFO's rule.

    tune::Json describe_state() override {
        return {{"scheduler", "fifo"}, {"trials", live_trials_.size()}, {"results", results_}};
    }

    std::string save() override {
        return tune::Json{{"format", state_format}, {"trials", live_trials_}, {"results", results_}}.dump();
    }

    void restore(const std::string &text) override {
        const tune::Json state = tune::parse_saved_state(text, "FIFO", state_format);
        if (!state.contains("trials") || !state["trials"].is_array() || !state.contains("results") ||
            !state["results"].is_number_unsigned())
            throw tune::StateError("saved FIFO state needs an array 'trials' and an integer 'results'");
        std::set<std::string> trials;
        for (const tune::Json &trial_id : state["trials"]) {
            if (!trial_id.is_string()) throw tune::StateError("saved FIFO state lists a trial id that is not a string");
            trials.insert(trial_id.get<std::string>());
        }
        live_trials_ = std::move(trials);
        results_ = state["results"].get<std::uint64_t>();
    }

private:
    std::set<std::string> live_trials_;
    std::uint64_t results_ = 0;
};

} // namespace

TUNE_PLUGIN_LIBRARY(FifoScheduler);
