// Helpers for the scheduler tests: load a scheduler plugin through the real ABI and talk to
// it in JSON.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/plugin/host_services.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/plugin/plugin_instance.hpp"
#include "core/plugin/plugin_library.hpp"
#include "core/plugin/scheduler_adapter.hpp"
#include "support/test_paths.hpp"

namespace tune::test {

using Json = nlohmann::json;

inline core::SchedulerAdapter load_scheduler(const std::string &file, const std::string &id) {
    auto library = core::PluginLibrary::load(plugin_dir() / file);
    return core::SchedulerAdapter(library->create(id, core::host_services()));
}

inline core::SchedulerAdapter load_asha() {
    return load_scheduler("tune_asha_scheduler.so", "org.tune.scheduler.asha");
}

inline core::SchedulerAdapter load_fifo() {
    return load_scheduler("tune_fifo_scheduler.so", "org.tune.scheduler.fifo");
}

// An ASHA scheduler set up with settings {"metric": metric, "mode": mode, "options": options}.
inline core::SchedulerAdapter make_asha(const Json &options, const std::string &metric = "loss",
                                        const std::string &mode = "min") {
    core::SchedulerAdapter asha = load_asha();
    asha.setup(Json{{"metric", metric}, {"mode", mode}, {"options", options}}.dump());
    return asha;
}

inline const char *action_name(tune_decision_t action) {
    switch (action) {
    case TUNE_DECISION_CONTINUE: return "CONTINUE";
    case TUNE_DECISION_PAUSE: return "PAUSE";
    case TUNE_DECISION_STOP: return "STOP";
    }
    return "INVALID";
}

// A decision as the tests read it: "CONTINUE", "PAUSE" or "STOP", and the parsed detail.
struct Outcome {
    std::string action;
    Json detail;
};

inline Outcome send_result(core::SchedulerAdapter &scheduler, const std::string &trial_id, const Json &result) {
    core::SchedulerDecision decision = scheduler.on_trial_result(trial_id, result.dump());
    return {action_name(decision.action),
            decision.detail_json.empty() ? Json::object() : Json::parse(decision.detail_json)};
}

// Reports {"training_iteration": time, metric: value}; a null value is how a NaN metric
// arrives in JSON.
inline Outcome report(core::SchedulerAdapter &scheduler, const std::string &trial_id, const Json &time,
                      const Json &value, const std::string &metric = "loss") {
    return send_result(scheduler, trial_id, Json{{"training_iteration", time}, {metric, value}});
}

// choose_trial_to_run over candidates given as (trial_id, status) pairs.
inline std::optional<std::string> choose(core::SchedulerAdapter &scheduler,
                                         const std::vector<std::pair<std::string, std::string>> &candidates) {
    Json json = Json::array();
    for (const auto &[trial_id, status] : candidates) json.push_back({{"trial_id", trial_id}, {"status", status}});
    return scheduler.choose_trial_to_run(json.dump());
}

inline Json describe(core::SchedulerAdapter &scheduler) { return Json::parse(scheduler.describe_state()); }

// The rung milestones of every bracket, as describe_state lists them.
inline std::vector<std::vector<double>> milestones(core::SchedulerAdapter &scheduler) {
    std::vector<std::vector<double>> all;
    const Json state = describe(scheduler);
    for (const Json &bracket : state["brackets"]) {
        all.emplace_back();
        for (const Json &rung : bracket["rungs"]) all.back().push_back(rung["milestone"].get<double>());
    }
    return all;
}

// The rung with that milestone in bracket (describe_state's entry).
inline Json rung_state(core::SchedulerAdapter &scheduler, double milestone, std::size_t bracket = 0) {
    const Json state = describe(scheduler);
    for (const Json &rung : state["brackets"].at(bracket)["rungs"])
        if (rung["milestone"].get<double>() == milestone) return rung;
    return nullptr;
}

// The status of the PluginCallError that call throws, and its message.
template <class Call> std::pair<tune_status_t, std::string> call_error(Call &&call) {
    try {
        call();
    } catch (const core::PluginCallError &e) {
        return {e.status(), e.what()};
    }
    return {TUNE_OK, "(no error)"};
}

} // namespace tune::test
