#include "core/conformance/trainable_checks.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "core/conformance/check_result.hpp"
#include "core/conformance/plugin_probe.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/plugin/trainable_adapter.hpp"

namespace tune::conformance {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr std::uint64_t kSeed = 42;

core::TrialContextArgs context_for(const CheckSubject &subject, const std::string &trial_id, std::uint64_t seed) {
    fs::path dir = subject.scratch / ("trial_" + trial_id);
    fs::create_directories(dir);
    return {trial_id, dir.string(), 1, 0.0, seed};
}

// A trainable under test, with every plugin error turned into a CheckFailure naming the call.
class Trainable {
public:
    Trainable(const PluginProbe &probe, const char *role) : adapter_(probe.create()), role_(role) {}

    void setup(const CheckSubject &subject, const std::string &trial_id, std::uint64_t seed) {
        call([&] { adapter_.setup(subject.config.dump(), context_for(subject, trial_id, seed)); });
    }
    // One step's result, checked to be a JSON object.
    json step() {
        std::string text;
        call([&] { text = adapter_.step(); });
        json result;
        try {
            result = json::parse(text);
        } catch (const json::exception &e) {
            throw CheckFailure{fmt::format("{}: step returned text that is not JSON: `{}` ({})", role_, text, e.what())};
        }
        if (!result.is_object())
            throw CheckFailure{fmt::format("{}: step returned `{}`; expected a JSON object", role_, text)};
        return result;
    }
    std::vector<json> steps(int n) {
        std::vector<json> results;
        for (int i = 0; i < n; ++i) results.push_back(step());
        return results;
    }
    void save(const fs::path &dir) {
        fs::create_directories(dir);
        call([&] { adapter_.save(dir.string()); });
    }
    void restore(const fs::path &dir) {
        call([&] { adapter_.restore(dir.string()); });
    }
    core::TrainableAdapter &adapter() { return adapter_; }

    // Runs a plugin call; the adapter's PluginError names the call, the role says which instance.
    template <class F> void call(F &&f) {
        try {
            f();
        } catch (const core::PluginError &e) {
            throw CheckFailure{fmt::format("{}: {}", role_, e.what())};
        }
    }

private:
    core::TrainableAdapter adapter_;
    std::string role_;
};

// The result without the keys that --ignore-key allows to differ between runs.
json comparable(json result, const CheckSubject &subject) {
    for (const auto &key : subject.options->ignore_keys) result.erase(key);
    return result;
}

void expect_same(const json &expected, const json &actual, const CheckSubject &subject, const std::string &what) {
    if (comparable(expected, subject) != comparable(actual, subject))
        throw CheckFailure{fmt::format("{}: expected {}, got {}{}", what, expected.dump(), actual.dump(),
                                       subject.options->ignore_keys.empty()
                                           ? " (keys that legitimately vary, such as timings, can be excluded "
                                             "with --ignore-key)"
                                           : "")};
}

int steps_of(const CheckSubject &subject) { return std::max(2, subject.options->steps); }

// The metric a result must hold: --metric, or the first numeric key of the first result.
std::string metric_of(const CheckSubject &subject, const json &first) {
    if (!subject.options->metric.empty()) return subject.options->metric;
    for (const auto &[key, value] : first.items())
        if (value.is_number()) return key;
    throw CheckFailure{fmt::format("the first result {} holds no numeric metric", first.dump())};
}

} // namespace

CheckNote check_trainable_step_results(const CheckSubject &subject) {
    PluginProbe probe(subject);
    Trainable trainable(probe, "instance");
    trainable.setup(subject, "00000", kSeed);
    const int n = steps_of(subject);
    std::string metric;
    int taken = 0;
    for (; taken < n; ++taken) {
        json result = trainable.step();
        if (result.empty()) throw CheckFailure{fmt::format("step {} returned an empty object", taken + 1)};
        if (metric.empty()) metric = metric_of(subject, result);
        auto it = result.find(metric);
        if (it == result.end())
            throw CheckFailure{fmt::format("step {} result {} lacks the metric '{}'", taken + 1, result.dump(), metric)};
        if (!it->is_number() || !std::isfinite(it->get<double>()))
            throw CheckFailure{fmt::format("step {}: metric '{}' is {}; expected a finite number", taken + 1, metric,
                                           it->dump())};
        if (result.contains("done")) {
            if (!result["done"].is_boolean())
                throw CheckFailure{fmt::format("step {}: \"done\" is {}; expected true or false", taken + 1,
                                               result["done"].dump())};
            if (result["done"].get<bool>()) {
                ++taken;
                break;
            }
        }
    }
    return {fmt::format("{} steps, each a JSON object with a finite '{}'", taken, metric)};
}

CheckNote check_trainable_determinism(const CheckSubject &subject) {
    PluginProbe probe(subject);
    const int n = steps_of(subject);
    Trainable first(probe, "first instance");
    first.setup(subject, "00000", kSeed);
    auto a = first.steps(n);
    Trainable second(probe, "second instance");
    second.setup(subject, "00000", kSeed);
    auto b = second.steps(n);
    for (int i = 0; i < n; ++i)
        expect_same(a[i], b[i], subject, fmt::format("step {} with the same config and seed {}", i + 1, kSeed));
    return {fmt::format("two instances with seed {} gave the same {} results", kSeed, n)};
}

CheckNote check_trainable_save_restore(const CheckSubject &subject) {
    PluginProbe probe(subject);
    const int before = steps_of(subject) - 1;
    Trainable original(probe, "original instance");
    original.setup(subject, "00000", kSeed);
    original.steps(before);
    const fs::path checkpoint = subject.scratch / "checkpoint_000001";
    original.save(checkpoint);
    json expected = original.step();

    Trainable restored(probe, "fresh instance");
    restored.setup(subject, "00000", kSeed);
    restored.restore(checkpoint);
    expect_same(expected, restored.step(), subject,
                fmt::format("the step after restoring a checkpoint taken after step {}", before));
    return {fmt::format("a checkpoint after step {} restored into a fresh instance gave the same next result", before)};
}

CheckNote check_trainable_reset(const CheckSubject &subject) {
    PluginProbe probe(subject);
    const int n = steps_of(subject);
    Trainable reused(probe, "reused instance");
    reused.setup(subject, "00001", kSeed + 1);
    reused.steps(n);
    bool supported = false;
    reused.call([&] {
        supported = reused.adapter().reset(subject.config.dump(), context_for(subject, "00000", kSeed));
    });
    if (!supported) return {"reset is not supported (the host creates a new instance instead)"};
    auto after_reset = reused.steps(n);

    Trainable fresh(probe, "fresh instance");
    fresh.setup(subject, "00000", kSeed);
    auto expected = fresh.steps(n);
    for (int i = 0; i < n; ++i)
        expect_same(expected[i], after_reset[i], subject,
                    fmt::format("step {} after reset (compared with a fresh instance)", i + 1));
    return {fmt::format("after {} steps of another trial, reset gave the same {} results as a fresh instance", n, n)};
}

} // namespace tune::conformance
