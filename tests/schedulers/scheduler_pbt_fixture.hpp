// Helpers for the PBT scheduler's tests, on top of scheduler_fixture.hpp: the plugin through
// the real ABI, its actions (checkpoint, exploit) as the host takes them, and Ray's results.
#pragma once

#include <string>
#include <vector>

#include "scheduler_fixture.hpp"

namespace tune::test {

using core::SchedulerAction;

inline core::SchedulerAdapter load_pbt() {
    return load_scheduler("tune_pbt_scheduler.so", "org.tune.scheduler.pbt");
}

// Settings {"metric", "mode", "seed", "options"} as a JSON text.
inline std::string pbt_settings(const Json &options, const std::string &metric = "loss",
                                const std::string &mode = "min", std::uint64_t seed = 0) {
    return Json{{"metric", metric}, {"mode", mode}, {"seed", seed}, {"options", options}}.dump();
}

// A PBT scheduler set up with those settings.
inline core::SchedulerAdapter make_pbt(const Json &options, const std::string &metric = "loss",
                                       const std::string &mode = "min", std::uint64_t seed = 0) {
    core::SchedulerAdapter scheduler = load_pbt();
    scheduler.setup(pbt_settings(options, metric, mode, seed));
    return scheduler;
}

// Options judging by training_iteration every `interval` iterations, mutating {"lr": domain}.
inline Json iteration_options(double interval, Json extra = Json::object()) {
    Json options{{"time_attr", "training_iteration"},
                 {"perturbation_interval", interval},
                 {"hyperparam_mutations", {{"lr", {{"uniform", {0.0, 1.0}}}}}}};
    options.update(extra);
    return options;
}

// Ray's test_trial_scheduler.py result(t, rew): time_total_s t, episode_reward_mean rew and
// training_iteration int(t).
inline Json pbt_result(double t, double reward) {
    return Json{{"time_total_s", t}, {"episode_reward_mean", reward}, {"training_iteration", static_cast<int>(t)}};
}

// Adds a trial and starts it (choose_trial_to_run with it as the only candidate): RUNNING.
inline void start(core::SchedulerAdapter &scheduler, const std::string &trial_id, const Json &config) {
    scheduler.on_trial_add(trial_id, config.dump());
    REQUIRE(choose(scheduler, {{trial_id, "PENDING"}}) == trial_id);
}

// The actions taken now, each as text: "checkpoint a", "exploit b from a".
inline std::vector<std::string> action_texts(const std::vector<SchedulerAction> &actions) {
    std::vector<std::string> texts;
    for (const SchedulerAction &a : actions) {
        switch (a.kind) {
        case SchedulerAction::Kind::Stop: texts.push_back("stop " + a.trial_id); break;
        case SchedulerAction::Kind::Checkpoint: texts.push_back("checkpoint " + a.trial_id); break;
        case SchedulerAction::Kind::Exploit: texts.push_back("exploit " + a.trial_id + " from " + a.donor_id); break;
        }
    }
    return texts;
}

inline std::vector<std::string> take(core::SchedulerAdapter &scheduler) {
    return action_texts(scheduler.take_actions());
}

// The exploit actions among actions.
inline std::vector<SchedulerAction> exploits(const std::vector<SchedulerAction> &actions) {
    std::vector<SchedulerAction> found;
    for (const SchedulerAction &a : actions)
        if (a.kind == SchedulerAction::Kind::Exploit) found.push_back(a);
    return found;
}

inline Json detail_of(const SchedulerAction &action) {
    return action.detail_json.empty() ? Json::object() : Json::parse(action.detail_json);
}

// One live trial's entry in describe_state's "population".
inline Json member(core::SchedulerAdapter &scheduler, const std::string &trial_id) {
    return describe(scheduler)["population"].at(trial_id);
}

// A population of two, ready to explore: "low" and "donor" report at iteration 1 (the donor
// second, so that it is checkpointed as the upper quantile), with options (interval 1, loss
// min). Then every result of "low" with a worse loss exploits "donor": explore(donor_config).
inline core::SchedulerAdapter explore_setup(Json options, const Json &donor_config, const Json &low_config,
                                            std::uint64_t seed = 0) {
    options["time_attr"] = "training_iteration";
    options["perturbation_interval"] = 1;
    core::SchedulerAdapter scheduler = make_pbt(options, "loss", "min", seed);
    start(scheduler, "low", low_config);
    start(scheduler, "donor", donor_config);
    report(scheduler, "low", 1, 10.0);
    report(scheduler, "donor", 1, 1.0);
    REQUIRE(take(scheduler) == std::vector<std::string>{"checkpoint donor"});
    return scheduler;
}

// The next `count` explorations of the donor's config: each a result of "low" at the next
// iteration, answered with an exploit action.
inline std::vector<SchedulerAction> explore_samples(core::SchedulerAdapter &scheduler, int count,
                                                    int first_iteration = 2) {
    std::vector<SchedulerAction> samples;
    for (int i = 0; i < count; ++i) {
        const Outcome outcome = report(scheduler, "low", first_iteration + i, 10.0);
        REQUIRE(outcome.action == "CONTINUE");
        std::vector<SchedulerAction> actions = scheduler.take_actions();
        REQUIRE(actions.size() == 1);
        REQUIRE(actions[0].kind == SchedulerAction::Kind::Exploit);
        REQUIRE(actions[0].donor_id == "donor");
        samples.push_back(std::move(actions[0]));
    }
    return samples;
}

} // namespace tune::test
