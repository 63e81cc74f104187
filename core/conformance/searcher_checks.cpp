#include "core/conformance/searcher_checks.hpp"

#include <deque>

#include <fmt/format.h>

#include "core/conformance/check_result.hpp"
#include "core/conformance/plugin_probe.hpp"
#include "core/plugin/abi_values.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/plugin/searcher_adapter.hpp"
#include "tune/space/search_space.hpp"

namespace tune::conformance {

using nlohmann::json;

namespace {

constexpr int kMaxSuggestions = 1000;
constexpr std::size_t kMaxOutstanding = 2;

// A deterministic synthetic metric for a config (FNV-1a of its text, scaled to [0, 1)).
double synthetic_metric(const std::string &config) {
    std::uint64_t hash = 1469598103934665603ULL;
    for (unsigned char c : config) hash = (hash ^ c) * 1099511628211ULL;
    return static_cast<double>(hash % 1000000) / 1e6;
}

struct Suggested {
    std::string trial_id;
    tune_suggest_outcome_t outcome;
    std::string config;
    bool operator==(const Suggested &o) const {
        return trial_id == o.trial_id && outcome == o.outcome && config == o.config;
    }
};

std::string describe(const Suggested &s) {
    return fmt::format("trial {}: {} {}", s.trial_id, core::suggest_outcomes().label(s.outcome), s.config);
}

// Runs a plugin call, turning the adapter's PluginError (which names the plugin and the call)
// into a failed check.
template <class F> auto call(F &&f) {
    try {
        return f();
    } catch (const core::PluginError &e) {
        throw CheckFailure{e.what()};
    }
}

// Plays the engine's part with up to kMaxOutstanding trials running at once: each config's
// trial reports one synthetic result and completes, oldest first. A value type, so a run can
// be continued from a snapshot against another searcher instance.
class SearchDriver {
public:
    // Asks for at most `suggestions` answers (stopping early at "finished"); returns them.
    std::vector<Suggested> run(core::SearcherAdapter &searcher, const std::string &metric, int suggestions) {
        std::vector<Suggested> answers;
        while (static_cast<int>(answers.size()) < suggestions && !finished_ && stalled_at_.empty()) {
            const std::string id = fmt::format("{:05}", next_trial_);
            core::SuggestResult r = call([&] { return searcher.suggest(id); });
            answers.push_back({id, r.outcome, r.config_json});
            if (r.outcome == TUNE_SUGGEST_CONFIG) {
                json config;
                try {
                    config = json::parse(r.config_json);
                } catch (const json::exception &) {
                    throw CheckFailure{fmt::format("trial {}: the suggested config `{}` is not JSON", id, r.config_json)};
                }
                if (!config.is_object())
                    throw CheckFailure{fmt::format("trial {}: the suggested config {} is not a JSON object", id,
                                                   r.config_json)};
                ++next_trial_;
                outstanding_.push_back({id, r.config_json});
                if (outstanding_.size() >= kMaxOutstanding) complete_oldest(searcher, metric);
                continue;
            }
            if (!r.config_json.empty())
                throw CheckFailure{fmt::format("trial {}: suggest answered \"{}\" but also wrote a config `{}`", id,
                                               core::suggest_outcomes().label(r.outcome), r.config_json)};
            if (r.outcome == TUNE_SUGGEST_FINISHED) {
                finished_ = true;
                continue;
            }
            ++not_ready_;
            if (outstanding_.empty()) { // no news will ever come: the engine would wait forever
                stalled_at_ = id;
                return answers;
            }
            complete_oldest(searcher, metric);
        }
        return answers;
    }
    void complete_all(core::SearcherAdapter &searcher, const std::string &metric) {
        while (!outstanding_.empty()) complete_oldest(searcher, metric);
    }
    bool finished() const { return finished_; }
    // The trial id of a "not ready" answered while no trial was outstanding, or empty.
    const std::string &stalled_at() const { return stalled_at_; }
    int not_ready() const { return not_ready_; }

private:
    void complete_oldest(core::SearcherAdapter &searcher, const std::string &metric) {
        // Named copies, not structured bindings: lambdas capture those only from C++20.
        const std::string id = outstanding_.front().first;
        const json config = outstanding_.front().second;
        outstanding_.pop_front();
        std::string result = json{{metric, synthetic_metric(config)}, {"training_iteration", 1}}.dump();
        call([&] {
            searcher.on_result(id, result);
            return 0;
        });
        call([&] {
            searcher.on_complete(id, result, false);
            return 0;
        });
    }

    int next_trial_ = 0;
    int not_ready_ = 0;
    bool finished_ = false;
    std::string stalled_at_;
    std::deque<std::pair<std::string, std::string>> outstanding_;
};

std::string metric_of(const CheckSubject &subject) {
    if (subject.config.is_object() && subject.config.contains("metric") && subject.config["metric"].is_string())
        return subject.config["metric"].get<std::string>();
    return "loss";
}

std::unique_ptr<core::SearcherAdapter> set_up(const PluginProbe &probe, const CheckSubject &subject) {
    auto searcher = std::make_unique<core::SearcherAdapter>(probe.create());
    try {
        searcher->setup(subject.config.dump());
    } catch (const core::PluginError &e) {
        throw CheckFailure{fmt::format("setup with the settings {} failed: {} (pass valid ones with --config)",
                                       subject.config.dump(), e.what())};
    }
    return searcher;
}

} // namespace

CheckNote check_searcher_suggestions_in_space(const CheckSubject &subject) {
    if (!subject.config.contains("space") || !subject.config["space"].is_object())
        throw CheckFailure{"the settings have no \"space\" object to check suggestions against (see --config)"};
    std::optional<space::SearchSpace> space;
    try {
        space = space::SearchSpace::parse(subject.config["space"]);
    } catch (const std::exception &e) {
        throw CheckFailure{fmt::format("the settings' space is invalid: {}", e.what())};
    }
    PluginProbe probe(subject);
    auto searcher = set_up(probe, subject);
    SearchDriver driver;
    int configs = 0;
    for (const auto &s : driver.run(*searcher, metric_of(subject), kMaxSuggestions)) {
        if (s.outcome != TUNE_SUGGEST_CONFIG) continue;
        ++configs;
        if (auto why = space->violation(json::parse(s.config)))
            throw CheckFailure{fmt::format("trial {}: the config {} is outside the space: {}", s.trial_id, s.config, *why)};
    }
    if (configs == 0) throw CheckFailure{"the searcher suggested no config at all"};
    return {fmt::format("{} configs, all within the space", configs)};
}

CheckNote check_searcher_reproducible(const CheckSubject &subject) {
    PluginProbe probe(subject);
    const std::string metric = metric_of(subject);
    auto first = set_up(probe, subject);
    auto a = SearchDriver().run(*first, metric, 50);
    auto second = set_up(probe, subject);
    auto b = SearchDriver().run(*second, metric, 50);
    for (std::size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
        if (i >= a.size() || i >= b.size() || !(a[i] == b[i]))
            throw CheckFailure{fmt::format("answer {} differs between two instances with the same settings: {} vs {}",
                                           i + 1, i < a.size() ? describe(a[i]) : "(none)",
                                           i < b.size() ? describe(b[i]) : "(none)")};
    }
    return {fmt::format("two instances with the same seed gave the same {} answers", a.size())};
}

CheckNote check_searcher_finished_not_ready(const CheckSubject &subject) {
    PluginProbe probe(subject);
    const std::string metric = metric_of(subject);
    auto searcher = set_up(probe, subject);
    SearchDriver driver;
    auto answers = driver.run(*searcher, metric, kMaxSuggestions);
    if (!driver.stalled_at().empty())
        throw CheckFailure{fmt::format("trial {}: suggest answered \"not ready\" while no trial was running; no "
                                       "news would ever come, and the experiment would wait forever",
                                       driver.stalled_at())};
    if (!driver.finished())
        throw CheckFailure{fmt::format("no \"finished\" after {} answers; the engine relies on it to stop creating "
                                       "trials (settings: {})",
                                       answers.size(), subject.config.dump())};
    driver.complete_all(*searcher, metric);
    for (int i = 0; i < 3; ++i) {
        core::SuggestResult again;
        try {
            again = searcher->suggest(fmt::format("after_finished_{}", i));
        } catch (const core::PluginError &e) {
            throw CheckFailure{fmt::format("suggest after \"finished\" failed: {}", e.what())};
        }
        if (again.outcome != TUNE_SUGGEST_FINISHED || !again.config_json.empty())
            throw CheckFailure{fmt::format("after \"finished\", suggest answered \"{}\" {}; it must stay finished",
                                           core::suggest_outcomes().label(again.outcome), again.config_json)};
    }
    const auto configs = std::count_if(answers.begin(), answers.end(),
                                       [](const Suggested &s) { return s.outcome == TUNE_SUGGEST_CONFIG; });
    return {fmt::format("{} configs, {} \"not ready\", then \"finished\", and finished it stays", configs,
                        driver.not_ready())};
}

CheckNote check_searcher_save_restore(const CheckSubject &subject) {
    PluginProbe probe(subject);
    const std::string metric = metric_of(subject);
    auto original = set_up(probe, subject);
    SearchDriver driver;
    driver.run(*original, metric, 3);
    std::string state;
    try {
        state = original->save();
    } catch (const core::PluginError &e) {
        throw CheckFailure{e.what()};
    }
    SearchDriver snapshot = driver;
    auto expected = driver.run(*original, metric, 5);

    auto restored = set_up(probe, subject);
    try {
        restored->restore(state);
    } catch (const core::PluginError &e) {
        throw CheckFailure{fmt::format("restoring the saved state into a fresh instance failed: {}", e.what())};
    }
    auto actual = snapshot.run(*restored, metric, 5);
    for (std::size_t i = 0; i < std::max(expected.size(), actual.size()); ++i) {
        if (i >= expected.size() || i >= actual.size() || !(expected[i] == actual[i]))
            throw CheckFailure{fmt::format("answer {} after restore differs: the original gave {}, the restored "
                                           "instance {}",
                                           i + 1, i < expected.size() ? describe(expected[i]) : "(none)",
                                           i < actual.size() ? describe(actual[i]) : "(none)")};
    }
    return {fmt::format("state saved after 3 answers ({} bytes) continued with the same {} answers", state.size(),
                        expected.size())};
}

} // namespace tune::conformance
