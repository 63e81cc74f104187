// C++ helper for searcher plugins: derive from tune::Searcher and list the class in
// TUNE_PLUGIN_LIBRARY (tune/plugin.hpp).
#pragma once

#include <optional>
#include <string>

#include "tune/sdk/common.hpp"

namespace tune {

struct SearcherSettings {
    std::string metric;
    tune_mode_t mode = TUNE_MODE_MIN;
    std::uint64_t seed = 0;
    long long num_samples = 1;
    Json space = Json::object();
    Json options = Json::object();
};

// What suggest() returns: a config, "not ready yet", or "finished".
struct Suggestion {
    tune_suggest_outcome_t outcome = TUNE_SUGGEST_FINISHED;
    Json config;

    static Suggestion with_config(Json config) { return {TUNE_SUGGEST_CONFIG, std::move(config)}; }
    static Suggestion not_ready() { return {TUNE_SUGGEST_NOT_READY, nullptr}; }
    static Suggestion finished() { return {TUNE_SUGGEST_FINISHED, nullptr}; }
};

class Searcher : public PluginBase {
public:
    static constexpr tune_plugin_kind_t kind = TUNE_KIND_SEARCHER;

    virtual void setup(const SearcherSettings &settings) = 0;
    virtual Suggestion suggest(const std::string &trial_id) = 0;
    // Return false if on_result ignores the result's contents: the helper then passes null
    // instead of parsing every intermediate result (a measurable cost at high result rates).
    virtual bool reads_results() const { return true; }
    virtual void on_result(const std::string & /*trial_id*/, const Json & /*result*/) {}
    virtual void on_complete(const std::string & /*trial_id*/, const std::optional<Json> & /*result*/,
                             bool /*failed*/) {}
    virtual std::string save() = 0;
    virtual void restore(const std::string &state) = 0;
};

namespace detail {

inline tune_mode_t parse_mode(const Json &settings) {
    std::string mode = get_or<std::string>(settings, "mode", "min");
    if (mode == "min") return TUNE_MODE_MIN;
    if (mode == "max") return TUNE_MODE_MAX;
    throw ConfigError("mode must be \"min\" or \"max\", got \"" + mode + "\"");
}

inline Json object_or_empty(const Json &settings, const char *key) {
    if (!settings.contains(key)) return Json::object();
    if (!settings[key].is_object()) throw ConfigError(std::string(key) + " must be a JSON object");
    return settings[key];
}

template <class P> struct SearcherThunks {
    static tune_status_t setup(tune_plugin_t *p, const char *settings_json, tune_error_t *e) {
        return guard(e, [&] {
            Json json = parse_json_object(settings_json, "settings");
            SearcherSettings s;
            s.metric = get_or<std::string>(json, "metric", "");
            s.mode = parse_mode(json);
            s.seed = get_or<std::uint64_t>(json, "seed", 0);
            s.num_samples = get_or<long long>(json, "num_samples", 1);
            s.space = object_or_empty(json, "space");
            s.options = object_or_empty(json, "options");
            self<P>(p).setup(s);
        });
    }
    static tune_status_t suggest(tune_plugin_t *p, const char *trial_id, const tune_text_out_t *out,
                                 tune_suggest_outcome_t *outcome, tune_error_t *e) {
        return guard(e, [&] {
            if (!outcome) throw Error(TUNE_ERROR_INVALID_ARGUMENT, "outcome is NULL");
            Suggestion s = self<P>(p).suggest(require_id(trial_id));
            if (s.outcome == TUNE_SUGGEST_CONFIG) {
                if (!s.config.is_object()) throw Error(TUNE_ERROR_INTERNAL, "suggested config must be a JSON object");
                append(out, s.config.dump());
            }
            *outcome = s.outcome;
        });
    }
    static tune_status_t on_result(tune_plugin_t *p, const char *trial_id, const char *result,
                                   tune_error_t *e) {
        return guard(e, [&] {
            P &searcher = self<P>(p);
            searcher.on_result(require_id(trial_id), searcher.reads_results() ? parse_json(result, "result") : Json());
        });
    }
    static tune_status_t on_complete(tune_plugin_t *p, const char *trial_id, const char *result,
                                     int failed, tune_error_t *e) {
        return guard(e, [&] {
            std::optional<Json> last;
            if (result) last = parse_json(result, "result");
            self<P>(p).on_complete(require_id(trial_id), last, failed != 0);
        });
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
    static std::string require_id(const char *trial_id) {
        if (!trial_id) throw Error(TUNE_ERROR_INVALID_ARGUMENT, "trial_id is NULL");
        return trial_id;
    }

    static constexpr tune_searcher_t table{&setup, &suggest, &on_result, &on_complete, &save, &restore};

    static const void *get_interface(const char *interface_id) {
        return std::strcmp(interface_id, TUNE_SEARCHER_INTERFACE) == 0 ? &table : nullptr;
    }
};

} // namespace detail
} // namespace tune
