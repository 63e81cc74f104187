// C++ helper for scheduler plugins: derive from tune::Scheduler and list the class in
// TUNE_PLUGIN_LIBRARY (tune/plugin.hpp).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "tune/sdk/searcher.hpp" // parse_mode, object_or_empty

namespace tune {

struct SchedulerSettings {
    std::string metric;
    tune_mode_t mode = TUNE_MODE_MIN;
    std::uint64_t seed = 0; // the experiment's seed, for schedulers that draw random numbers
    Json options = Json::object();
};

struct Decision {
    tune_decision_t action = TUNE_DECISION_CONTINUE;
    Json detail = Json::object(); // recorded in the audit trail, e.g. {"rung":4,"cutoff":0.3}

    static Decision keep_going(Json detail = Json::object()) { return {TUNE_DECISION_CONTINUE, std::move(detail)}; }
    static Decision pause(Json detail = Json::object()) { return {TUNE_DECISION_PAUSE, std::move(detail)}; }
    static Decision stop(Json detail = Json::object()) { return {TUNE_DECISION_STOP, std::move(detail)}; }
};

struct Candidate {
    std::string trial_id;
    std::string status; // "PENDING" or "PAUSED"
};

// What a scheduler reads from a result: its progress (the `time_attr` field) and its metric.
struct TimedMetric {
    double time = 0.0;
    double value = 0.0; // NaN for a null metric: JSON has no NaN, and nlohmann-json writes one as null
};

// The progress and metric of result, or nullopt with why_not set to "time_attr missing" or
// "metric missing" when the result lacks one (the decision is then CONTINUE, as in Ray).
// Throws Error(TUNE_ERROR_INVALID_ARGUMENT) for a result that is not an object or a value that
// is not a number.
inline std::optional<TimedMetric> read_time_and_metric(const Json &result, const std::string &time_attr,
                                                       const std::string &metric, std::string &why_not) {
    if (!result.is_object()) throw Error(TUNE_ERROR_INVALID_ARGUMENT, "result must be a JSON object");
    const auto time = result.find(time_attr);
    if (time == result.end()) {
        why_not = "time_attr missing";
        return std::nullopt;
    }
    const auto value = result.find(metric);
    if (value == result.end()) {
        why_not = "metric missing";
        return std::nullopt;
    }
    if (!time->is_number())
        throw Error(TUNE_ERROR_INVALID_ARGUMENT, "result '" + time_attr + "' must be a number, got " + time->dump());
    if (!value->is_number() && !value->is_null())
        throw Error(TUNE_ERROR_INVALID_ARGUMENT,
                    "result metric '" + metric + "' must be a number or null (NaN), got " + value->dump());
    return TimedMetric{time->get<double>(),
                       value->is_null() ? std::numeric_limits<double>::quiet_NaN() : value->get<double>()};
}

// Actions (tune/scheduler.h, ABI 1.2): what a scheduler does to trials beyond answering the
// result in hand. A scheduler queues them and hands them over from take_actions.
inline Json stop_action(const std::string &trial_id, Json detail = Json::object()) {
    return {{"action", "stop"}, {"trial_id", trial_id}, {"detail", std::move(detail)}};
}
inline Json checkpoint_action(const std::string &trial_id) {
    return {{"action", "checkpoint"}, {"trial_id", trial_id}};
}
// trial_id continues from donor_id's latest checkpoint with config (its hyperparameters).
inline Json exploit_action(const std::string &trial_id, const std::string &donor_id, Json config,
                           Json detail = Json::object(), bool log_config = true) {
    return {{"action", "exploit"}, {"trial_id", trial_id},     {"donor_id", donor_id},
            {"config", std::move(config)}, {"detail", std::move(detail)}, {"log_config", log_config}};
}

class Scheduler : public PluginBase {
public:
    static constexpr tune_plugin_kind_t kind = TUNE_KIND_SCHEDULER;

    virtual void setup(const SchedulerSettings &settings) = 0;
    virtual void on_trial_add(const std::string & /*trial_id*/, const Json & /*config*/) {}
    // Return false if on_trial_result ignores the result's contents: the helper then passes
    // null instead of parsing every result.
    virtual bool reads_results() const { return true; }
    virtual Decision on_trial_result(const std::string &trial_id, const Json &result) = 0;
    // After a CONTINUE to trial_id's result at training_iteration `iteration`: the first later
    // iteration whose result may get another answer (tune/scheduler.h, decision points).
    // iteration + 1 promises nothing; kNoDecisionPoint, CONTINUE for the rest of the trial.
    static constexpr std::int64_t kNoDecisionPoint = TUNE_NO_DECISION_POINT;
    virtual std::int64_t next_decision_point(const std::string & /*trial_id*/, std::int64_t iteration) {
        return iteration + 1;
    }
    virtual void on_trial_error(const std::string & /*trial_id*/) {}
    virtual void on_trial_complete(const std::string & /*trial_id*/, const std::optional<Json> & /*result*/) {}
    // Default: the first PENDING candidate, else the first PAUSED one (FIFO).
    virtual std::optional<std::string> choose_trial_to_run(const std::vector<Candidate> &candidates) {
        for (const auto &c : candidates)
            if (c.status == "PENDING") return c.trial_id;
        for (const auto &c : candidates)
            if (c.status == "PAUSED") return c.trial_id;
        return std::nullopt;
    }
    // The actions queued since the last call, as a JSON array, forgetting them (see the
    // *_action helpers above). The host asks after every call that may produce some.
    virtual Json take_actions() { return Json::array(); }
    virtual Json describe_state() { return Json::object(); }
    virtual std::string save() = 0;
    virtual void restore(const std::string &state) = 0;
};

namespace detail {

template <class P> struct SchedulerThunks {
    using Ids = SearcherThunks<P>; // shares require_id

    static tune_status_t setup(tune_plugin_t *p, const char *settings_json, tune_error_t *e) {
        return guard(e, [&] {
            Json json = parse_json_object(settings_json, "settings");
            SchedulerSettings s;
            s.metric = get_or<std::string>(json, "metric", "");
            s.mode = parse_mode(json);
            s.seed = get_or<std::uint64_t>(json, "seed", 0);
            s.options = object_or_empty(json, "options");
            self<P>(p).setup(s);
        });
    }
    static tune_status_t on_trial_add(tune_plugin_t *p, const char *id, const char *config, tune_error_t *e) {
        return guard(e, [&] { self<P>(p).on_trial_add(Ids::require_id(id), parse_json(config, "config")); });
    }
    static tune_status_t on_trial_result(tune_plugin_t *p, const char *id, const char *result,
                                         tune_decision_t *decision, const tune_text_out_t *detail,
                                         tune_error_t *e) {
        return guard(e, [&] {
            if (!decision) throw Error(TUNE_ERROR_INVALID_ARGUMENT, "decision is NULL");
            P &scheduler = self<P>(p);
            Decision d = scheduler.on_trial_result(Ids::require_id(id),
                                                   scheduler.reads_results() ? parse_json(result, "result") : Json());
            if (!d.detail.is_null() && !d.detail.empty()) append(detail, d.detail.dump());
            *decision = d.action;
        });
    }
    static tune_status_t on_trial_error(tune_plugin_t *p, const char *id, tune_error_t *e) {
        return guard(e, [&] { self<P>(p).on_trial_error(Ids::require_id(id)); });
    }
    static tune_status_t on_trial_complete(tune_plugin_t *p, const char *id, const char *result, tune_error_t *e) {
        return guard(e, [&] {
            std::optional<Json> last;
            if (result) last = parse_json(result, "result");
            self<P>(p).on_trial_complete(Ids::require_id(id), last);
        });
    }
    static tune_status_t choose_trial_to_run(tune_plugin_t *p, const char *candidates_json,
                                             const tune_text_out_t *chosen, tune_error_t *e) {
        return guard(e, [&] {
            Json json = parse_json(candidates_json, "candidates");
            if (!json.is_array()) throw Error(TUNE_ERROR_INVALID_ARGUMENT, "candidates must be a JSON array");
            std::vector<Candidate> candidates;
            for (const auto &c : json)
                candidates.push_back({require<std::string>(c, "trial_id"), require<std::string>(c, "status")});
            if (auto id = self<P>(p).choose_trial_to_run(candidates)) append(chosen, *id);
        });
    }
    static tune_status_t describe_state(tune_plugin_t *p, const tune_text_out_t *out, tune_error_t *e) {
        return guard(e, [&] { append(out, self<P>(p).describe_state().dump()); });
    }
    static tune_status_t save(tune_plugin_t *p, const tune_text_out_t *out, tune_error_t *e) {
        return guard(e, [&] { append(out, self<P>(p).save()); });
    }
    static tune_status_t restore(tune_plugin_t *p, const char *state, size_t size, tune_error_t *e) {
        return guard(e, [&] {
            if (!state && size) throw Error(TUNE_ERROR_INVALID_ARGUMENT, "state is NULL");
            self<P>(p).restore(std::string(state ? state : "", size));
        });
    }

    static tune_status_t next_decision_point(tune_plugin_t *p, const char *id, int64_t iteration, int64_t *next,
                                             tune_error_t *e) {
        return guard(e, [&] {
            if (!next) throw Error(TUNE_ERROR_INVALID_ARGUMENT, "next is NULL");
            *next = self<P>(p).next_decision_point(Ids::require_id(id), iteration);
        });
    }

    static tune_status_t take_actions(tune_plugin_t *p, const tune_text_out_t *out, tune_error_t *e) {
        return guard(e, [&] {
            const Json actions = self<P>(p).take_actions();
            if (!actions.is_array()) throw Error(TUNE_ERROR_INTERNAL, "take_actions must return a JSON array");
            if (!actions.empty()) append(out, actions.dump());
        });
    }

    static constexpr tune_scheduler_t table{&setup, &on_trial_add, &on_trial_result, &on_trial_error,
                                            &on_trial_complete, &choose_trial_to_run, &describe_state,
                                            &save, &restore};
    static constexpr tune_scheduler_decision_points_t decision_points{&next_decision_point};
    static constexpr tune_scheduler_actions_t actions{&take_actions};

    static const void *get_interface(const char *interface_id) {
        if (std::strcmp(interface_id, TUNE_SCHEDULER_INTERFACE) == 0) return &table;
        if (std::strcmp(interface_id, TUNE_SCHEDULER_DECISION_POINTS_INTERFACE) == 0) return &decision_points;
        if (std::strcmp(interface_id, TUNE_SCHEDULER_ACTIONS_INTERFACE) == 0) return &actions;
        return nullptr;
    }
};

} // namespace detail
} // namespace tune
