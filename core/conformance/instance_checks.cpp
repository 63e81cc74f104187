#include "core/conformance/instance_checks.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <vector>

#include <boost/dll/shared_library.hpp>
#include <fmt/format.h>

#include "core/conformance/check_result.hpp"
#include "core/conformance/plugin_probe.hpp"
#include "core/plugin/abi_values.hpp"
#include "core/plugin/host_services.hpp"
#include "tune/scheduler.h"
#include "tune/searcher.h"
#include "tune/trainable.h"

namespace tune::conformance {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kCreateRounds = 100;
constexpr int kLiveAtOnce = 8;

// Calls the kind's setup with text. Trainables get a trial context under scratch.
RawCall setup_with(const PluginProbe &probe, core::PluginInstance &instance, const std::string &text) {
    tune_error_t error = core::empty_error();
    const void *table = probe.table(instance);
    switch (probe.subject().kind) {
    case TUNE_KIND_TRAINABLE: {
        std::string trial_dir = probe.subject().scratch.string();
        tune_trial_context_t context{sizeof(tune_trial_context_t), "00000", trial_dir.c_str(), 1, 0.0, 42};
        auto status = static_cast<const tune_trainable_t *>(table)->setup(instance.raw(), text.c_str(), &context, &error);
        return make_call(status, error);
    }
    case TUNE_KIND_SEARCHER:
        return make_call(static_cast<const tune_searcher_t *>(table)->setup(instance.raw(), text.c_str(), &error), error);
    case TUNE_KIND_SCHEDULER:
        return make_call(static_cast<const tune_scheduler_t *>(table)->setup(instance.raw(), text.c_str(), &error),
                         error);
    }
    return {};
}

// A value of another JSON type than value, for the wrong-type configs.
json wrong_type_for(const json &value) {
    if (value.is_string()) return 12345;
    if (value.is_number()) return "not a number";
    if (value.is_boolean()) return "not a boolean";
    if (value.is_object()) return 42;
    if (value.is_array()) return "not an array";
    return json::object(); // null
}

// Every function of the kind's interface, called with plausible arguments: each must return
// a known status, with a message when it is an error.
void call_everything(const PluginProbe &probe, core::PluginInstance &instance, const std::string &when) {
    const void *table = probe.table(instance);
    tune_plugin_t *p = instance.raw();
    const fs::path scratch = probe.subject().scratch;
    auto what = [&](const char *call) { return fmt::format("{} {}", call, when); };
    switch (probe.subject().kind) {
    case TUNE_KIND_TRAINABLE: {
        const auto *t = static_cast<const tune_trainable_t *>(table);
        tune_error_t e = core::empty_error();
        core::TextSink out;
        expect_safe(make_call(t->step(p, out.out(), &e), e), what("step"));
        static int folders = 0;
        fs::path empty_dir = scratch / ("calls_" + std::to_string(++folders));
        fs::create_directories(empty_dir);
        e = core::empty_error();
        expect_safe(make_call(t->save(p, empty_dir.c_str(), &e), e), what("save"));
        fs::path other_dir = empty_dir.string() + "_empty";
        fs::create_directories(other_dir);
        e = core::empty_error();
        expect_safe(make_call(t->restore(p, other_dir.c_str(), &e), e), what("restore from an empty folder"));
        if (const auto *ev = static_cast<const tune_trainable_evaluate_t *>(
                instance.find_interface(TUNE_TRAINABLE_EVALUATE_INTERFACE))) {
            core::TextSink result;
            e = core::empty_error();
            expect_safe(make_call(ev->evaluate(p, other_dir.c_str(), result.out(), &e), e),
                        what("evaluate of an empty folder"));
        }
        e = core::empty_error();
        std::string trial_dir = scratch.string();
        tune_trial_context_t context{sizeof(tune_trial_context_t), "00001", trial_dir.c_str(), 1, 0.0, 7};
        expect_safe(make_call(t->reset(p, "{", &context, &e), e), what("reset with config `{`"));
        e = core::empty_error();
        core::TextSink again;
        expect_safe(make_call(t->step(p, again.out(), &e), e), what("step after a failed reset"));
        break;
    }
    case TUNE_KIND_SEARCHER: {
        const auto *s = static_cast<const tune_searcher_t *>(table);
        tune_error_t e = core::empty_error();
        core::TextSink config;
        // The out-parameter is read in a statement of its own, after the call.
        tune_suggest_outcome_t outcome = TUNE_SUGGEST_FINISHED;
        RawCall suggested = make_call(s->suggest(p, "00000", config.out(), &outcome, &e), e);
        expect_safe(suggested, what("suggest"), core::suggest_outcomes(), outcome);
        e = core::empty_error();
        expect_safe(make_call(s->on_result(p, "00000", R"({"loss": 1.0, "training_iteration": 1})", &e), e),
                    what("on_result"));
        e = core::empty_error();
        expect_safe(make_call(s->on_result(p, "unknown", "{not json", &e), e),
                    what("on_result for an unknown trial with invalid JSON"));
        e = core::empty_error();
        expect_safe(make_call(s->on_complete(p, "00000", nullptr, 1, &e), e), what("on_complete (failed, no result)"));
        e = core::empty_error();
        core::TextSink state;
        expect_safe(make_call(s->save(p, state.out(), &e), e), what("save"));
        e = core::empty_error();
        expect_safe(make_call(s->restore(p, "\x01garbage", 8, &e), e), what("restore of garbage bytes"));
        e = core::empty_error();
        expect_safe(make_call(s->restore(p, nullptr, 0, &e), e), what("restore of no bytes"));
        e = core::empty_error();
        core::TextSink config2;
        suggested = make_call(s->suggest(p, "00001", config2.out(), &outcome, &e), e);
        expect_safe(suggested, what("suggest after restore"), core::suggest_outcomes(), outcome);
        break;
    }
    case TUNE_KIND_SCHEDULER: {
        const auto *s = static_cast<const tune_scheduler_t *>(table);
        tune_error_t e = core::empty_error();
        expect_safe(make_call(s->on_trial_add(p, "00000", R"({"x": 1})", &e), e), what("on_trial_add"));
        e = core::empty_error();
        // The out-parameter is read in a statement of its own, after the call.
        tune_decision_t decision = TUNE_DECISION_CONTINUE;
        core::TextSink detail;
        const char *result = R"({"loss": 1.0, "training_iteration": 1})";
        RawCall decided = make_call(s->on_trial_result(p, "00000", result, &decision, detail.out(), &e), e);
        expect_safe(decided, what("on_trial_result"), core::decisions(), decision);
        e = core::empty_error();
        core::TextSink detail2;
        decided = make_call(s->on_trial_result(p, "unknown", "{not json", &decision, detail2.out(), &e), e);
        expect_safe(decided, what("on_trial_result for an unknown trial with invalid JSON"), core::decisions(),
                    decision);
        e = core::empty_error();
        core::TextSink chosen;
        expect_safe(make_call(s->choose_trial_to_run(p, R"([{"trial_id": "00000", "status": "PENDING"}])",
                                                     chosen.out(), &e),
                              e),
                    what("choose_trial_to_run"));
        e = core::empty_error();
        core::TextSink chosen2;
        expect_safe(make_call(s->choose_trial_to_run(p, "not json", chosen2.out(), &e), e),
                    what("choose_trial_to_run with invalid JSON"));
        e = core::empty_error();
        core::TextSink described;
        expect_safe(make_call(s->describe_state(p, described.out(), &e), e), what("describe_state"));
        e = core::empty_error();
        expect_safe(make_call(s->on_trial_error(p, "00000", &e), e), what("on_trial_error"));
        e = core::empty_error();
        expect_safe(make_call(s->on_trial_complete(p, "unknown", nullptr, &e), e),
                    what("on_trial_complete for an unknown trial"));
        e = core::empty_error();
        core::TextSink state;
        expect_safe(make_call(s->save(p, state.out(), &e), e), what("save"));
        e = core::empty_error();
        expect_safe(make_call(s->restore(p, "\x01garbage", 8, &e), e), what("restore of garbage bytes"));
        break;
    }
    }
}

} // namespace

CheckNote check_create_destroy(const CheckSubject &subject) {
    PluginProbe probe(subject);
    for (int round = 0; round < kCreateRounds; ++round) {
        auto instance = probe.create();
        const tune_plugin_t *raw = instance->raw();
        if (!raw->descriptor || !raw->descriptor->id || subject.plugin_id != raw->descriptor->id)
            throw CheckFailure{fmt::format("the instance's descriptor does not name '{}'", subject.plugin_id)};
        probe.table(*instance);
        if (instance->find_interface("tune.conformance.no_such_interface/1") != nullptr)
            throw CheckFailure{"get_interface returned a table for an unknown interface id; expected NULL"};
    }
    for (int round = 0; round < kCreateRounds / kLiveAtOnce; ++round) {
        std::vector<std::unique_ptr<core::PluginInstance>> live;
        for (int i = 0; i < kLiveAtOnce; ++i) live.push_back(probe.create());
        // Destroy in creation order: no instance may depend on a later one.
        for (auto &instance : live) instance.reset();
    }

    // create() with an id the library does not have must fail cleanly, leaving *out NULL.
    boost::dll::shared_library library(boost::dll::fs::path(subject.library.string()),
                                       boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    const auto &entry = library.get<const tune_plugin_entry_t>(TUNE_ENTRY_SYMBOL);
    tune_plugin_t *out = nullptr;
    tune_error_t error = core::empty_error();
    RawCall call = make_call(entry.create(core::host_services(), "org.tune.conformance.no_such_plugin", &out, &error),
                             error);
    if (out) {
        out->destroy(out);
        throw CheckFailure{"create() with an unknown plugin id returned an instance"};
    }
    expect_error(call, "create() with an unknown plugin id");
    return {fmt::format("{} create/destroy rounds, {} instances alive at once, unknown id refused", kCreateRounds,
                        kLiveAtOnce)};
}

CheckNote check_invalid_config(const CheckSubject &subject) {
    PluginProbe probe(subject);
    const std::vector<std::string> not_json = {"", "{", "not json", R"({"a": })", R"({"a": "unterminated)",
                                               "{}}", "[1, 2"};
    const std::vector<std::string> not_objects = {"[]", "42", R"("text")", "null", "true"};
    for (const auto &text : not_json) {
        auto instance = probe.create();
        expect_error(setup_with(probe, *instance, text), fmt::format("setup with invalid JSON `{}`", text));
    }
    for (const auto &text : not_objects) {
        auto instance = probe.create();
        expect_error(setup_with(probe, *instance, text), fmt::format("setup with `{}` (not a JSON object)", text));
    }
    int wrong_typed = 0;
    if (subject.config.is_object()) {
        const std::vector<std::string> none;
        const auto &passed_through = subject.options ? subject.options->pass_through_keys : none;
        for (const auto &[key, value] : subject.config.items()) {
            if (std::find(passed_through.begin(), passed_through.end(), key) != passed_through.end()) continue;
            json config = subject.config;
            config[key] = wrong_type_for(value);
            auto instance = probe.create();
            std::string what = fmt::format("setup with '{}' set to {} (a {}, was a {})", key, config[key].dump(),
                                           config[key].type_name(), value.type_name());
            RawCall call = setup_with(probe, *instance, config.dump());
            expect_error(call, what);
            if (call.status != TUNE_ERROR_INVALID_CONFIG && call.status != TUNE_ERROR_INVALID_ARGUMENT)
                throw CheckFailure{fmt::format("{} returned [{}]; expected invalid config", what,
                                               core::status_name(call.status))};
            if (call.message.find(key) == std::string::npos)
                throw CheckFailure{fmt::format("{} gave the message \"{}\", which does not name the key '{}'", what,
                                               call.message, key)};
            ++wrong_typed;
        }
    }
    return {fmt::format("{} malformed texts, {} non-objects and {} wrong-typed keys refused with messages",
                        not_json.size(), not_objects.size(), wrong_typed)};
}

CheckNote check_calls_after_error(const CheckSubject &subject) {
    PluginProbe probe(subject);
    {
        auto instance = probe.create();
        call_everything(probe, *instance, "before setup");
    }
    {
        auto instance = probe.create();
        RawCall failed = setup_with(probe, *instance, "[\"not an object\"]");
        expect_safe(failed, "setup with a non-object");
        call_everything(probe, *instance, "after a failed setup");
    }
    {
        auto instance = probe.create();
        RawCall setup = setup_with(probe, *instance, subject.config.dump());
        if (setup.status != TUNE_OK)
            throw CheckFailure{fmt::format("setup with the config {} failed: {} (pass a valid one with --config)",
                                           subject.config.dump(), describe(setup))};
        call_everything(probe, *instance, "after setup");
        call_everything(probe, *instance, "after the previous calls' errors");
    }
    return {"every call returns a status and a message, before setup, after a failed setup and after errors"};
}

} // namespace tune::conformance
