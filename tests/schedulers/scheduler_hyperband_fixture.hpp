// Helpers for the HyperBand scheduler's tests, on top of scheduler_fixture.hpp: the plugin
// through the real ABI, Ray's test results, and a small host that plays the engine's part the
// way tune/scheduler.h describes it (decisions and actions applied, ended trials reported).
#pragma once

#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "scheduler_fixture.hpp"

namespace tune::test {

inline core::SchedulerAdapter load_hyperband() {
    return load_scheduler("tune_hyperband_scheduler.so", "org.tune.scheduler.hyperband");
}

// A HyperBand scheduler set up with settings {"metric", "mode", "options"}; Ray's tests use
// metric episode_reward_mean, mode max.
inline core::SchedulerAdapter make_hyperband(const Json &options, const std::string &metric = "episode_reward_mean",
                                             const std::string &mode = "max") {
    core::SchedulerAdapter scheduler = load_hyperband();
    scheduler.setup(Json{{"metric", metric}, {"mode", mode}, {"options", options}}.dump());
    return scheduler;
}

// Ray's test_trial_scheduler.py result(t, rew): time_total_s t, episode_reward_mean rew and
// training_iteration int(t).
inline Json ray_result(double t, double reward) {
    return Json{{"time_total_s", t}, {"episode_reward_mean", reward}, {"training_iteration", static_cast<int>(t)}};
}

// Ray's HyperbandSuite trial ids: ft_0000, ft_0001, ...
inline std::string ft(int i) {
    char id[16];
    std::snprintf(id, sizeof id, "ft_%04d", i);
    return id;
}

// The bracket entry of describe_state for band `band`, bracket `s` (null if there is none).
inline Json bracket_state(core::SchedulerAdapter &scheduler, int band, int s) {
    const Json state = describe(scheduler);
    for (const Json &bracket : state["brackets"])
        if (bracket["band"] == band && bracket["bracket"] == s) return bracket;
    return nullptr;
}

// Plays the engine: trials PENDING once added, RUNNING once chosen (or once they report, for
// Ray's tests that launch trials without choose_trial_to_run), PAUSED or TERMINATED as the
// scheduler decides. After every call it takes the scheduler's actions and applies them as
// the engine does: a stopped PENDING or PAUSED trial ends at once and on_trial_complete
// follows; a STOP decision ends the reporting trial with on_trial_complete of its result.
class FakeHost {
public:
    explicit FakeHost(core::SchedulerAdapter &scheduler) : scheduler_(scheduler) {}
    // The same trials in the same states, played against another scheduler (a restored one).
    FakeHost(core::SchedulerAdapter &scheduler, const FakeHost &state)
        : scheduler_(scheduler), order_(state.order_), status_(state.status_), last_(state.last_),
          stopped_(state.stopped_), stop_details_(state.stop_details_), seen_(state.seen_) {}

    void add(const std::string &trial_id) {
        order_.push_back(trial_id);
        status_[trial_id] = "PENDING";
        scheduler_.on_trial_add(trial_id, "{}");
        apply_actions();
    }
    void add(int first, int count) {
        for (int i = first; i < first + count; ++i) add(ft(i));
    }

    // The trial reports result; the decision is applied.
    Outcome report(const std::string &trial_id, const Json &result) {
        status_[trial_id] = "RUNNING";
        last_[trial_id] = result;
        Outcome outcome = send_result(scheduler_, trial_id, result);
        apply_actions();
        if (outcome.action == "PAUSE") status_[trial_id] = "PAUSED";
        if (outcome.action == "STOP") end(trial_id, result);
        return outcome;
    }
    std::string action(const std::string &trial_id, const Json &result) { return report(trial_id, result).action; }

    void fail(const std::string &trial_id) { // a failure with no retry left
        status_[trial_id] = "ERROR";
        scheduler_.on_trial_error(trial_id);
        apply_actions();
    }
    void complete(const std::string &trial_id, const std::optional<Json> &result) { // the trial's own end
        end(trial_id, result);
    }
    void retry(const std::string &trial_id) { status_[trial_id] = "PENDING"; } // no scheduler call

    // choose_trial_to_run over every PENDING and PAUSED trial, in the order they were added.
    std::optional<std::string> choose() {
        Json candidates = Json::array();
        for (const std::string &id : order_)
            if (status_[id] == "PENDING" || status_[id] == "PAUSED")
                candidates.push_back({{"trial_id", id}, {"status", status_[id]}});
        std::optional<std::string> chosen = scheduler_.choose_trial_to_run(candidates.dump());
        apply_actions();
        if (chosen) status_[*chosen] = "RUNNING";
        return chosen;
    }
    // Ray's _execute_delayed_actions: resumes every trial choose_trial_to_run offers.
    std::vector<std::string> resume_all() {
        std::vector<std::string> resumed;
        while (auto chosen = choose()) resumed.push_back(*chosen);
        return resumed;
    }

    const std::string &status(const std::string &trial_id) { return status_[trial_id]; }
    // The stop actions applied so far, in order, and their details.
    const std::vector<std::string> &stopped() const { return stopped_; }
    const std::vector<Json> &stop_details() const { return stop_details_; }
    // The stop actions applied since the last call of this.
    std::vector<std::string> take_stopped() {
        std::vector<std::string> recent(stopped_.begin() + static_cast<long>(seen_), stopped_.end());
        seen_ = stopped_.size();
        return recent;
    }

private:
    void end(const std::string &trial_id, const std::optional<Json> &result) {
        status_[trial_id] = "TERMINATED";
        scheduler_.on_trial_complete(trial_id, result ? std::optional<std::string>(result->dump()) : std::nullopt);
        apply_actions();
    }

    void apply_actions() {
        for (const core::SchedulerAction &action : scheduler_.take_actions()) {
            REQUIRE(action.kind == core::SchedulerAction::Kind::Stop);
            const std::string status = status_[action.trial_id];
            REQUIRE((status == "PENDING" || status == "PAUSED"));
            stopped_.push_back(action.trial_id);
            stop_details_.push_back(action.detail_json.empty() ? Json::object() : Json::parse(action.detail_json));
            auto last = last_.find(action.trial_id);
            end(action.trial_id, last == last_.end() ? std::nullopt : std::optional<Json>(last->second));
        }
    }

    core::SchedulerAdapter &scheduler_;
    std::vector<std::string> order_;
    std::map<std::string, std::string> status_;
    std::map<std::string, Json> last_;
    std::vector<std::string> stopped_;
    std::vector<Json> stop_details_;
    std::size_t seen_ = 0;
};

} // namespace tune::test
