// [searcher] max_concurrent and repeat (Ray Tune's ConcurrencyLimiter and Repeater): on a
// recording searcher, and through the controller with the random searcher.
#include <catch2/catch.hpp>

#include <map>

#include "core/engine/searcher_wrappers.hpp"
#include "core/state/state_store.hpp"
#include "support/controller_harness.hpp"

using namespace tune::core;
using namespace tune::test;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

// Suggests {"n": 0}, {"n": 1}, ... up to `total`, then finishes; records what it is told.
class RecordingSearcher final : public TrialSearcher {
public:
    explicit RecordingSearcher(int total = 100) : total_(total) {}
    const std::string &plugin_id() const override { return id_; }
    SuggestResult suggest(const std::string &trial_id) override {
        if (next_ >= total_) return {TUNE_SUGGEST_FINISHED, {}};
        suggested.push_back(trial_id);
        return {TUNE_SUGGEST_CONFIG, json{{"n", next_++}}.dump()};
    }
    void on_result(const std::string &trial_id, const std::string &) override { results.push_back(trial_id); }
    void on_complete(const std::string &trial_id, const std::optional<std::string> &result, bool failed) override {
        completed.push_back({trial_id, result.value_or(""), failed});
    }
    std::string save() override { return std::string("inner\0state", 11) + std::to_string(next_); }
    void restore(const std::string &state) override { next_ = std::stoi(state.substr(11)); }

    struct Completion {
        std::string trial_id, result;
        bool failed;
        bool operator==(const Completion &o) const { return trial_id == o.trial_id && result == o.result && failed == o.failed; }
    };
    std::vector<std::string> suggested, results;
    std::vector<Completion> completed;

private:
    std::string id_ = "org.test.recording";
    int total_;
    int next_ = 0;
};

std::string loss(double value) { return json{{"loss", value}, {"training_iteration", 3}}.dump(); }

} // namespace

TEST_CASE("searcher wrappers: max_concurrent answers not ready while that many trials are in flight",
          "[searcher][wrappers]") {
    RecordingSearcher inner;
    ConcurrencyLimiter limiter(inner, 2);
    CHECK(limiter.suggest("00000").outcome == TUNE_SUGGEST_CONFIG);
    CHECK(limiter.suggest("00001").outcome == TUNE_SUGGEST_CONFIG);
    CHECK(limiter.suggest("00002").outcome == TUNE_SUGGEST_NOT_READY);
    CHECK(inner.suggested.size() == 2); // the searcher was not asked
    limiter.on_result("00000", loss(1));
    CHECK(inner.results == std::vector<std::string>{"00000"});
    limiter.on_complete("00000", loss(1), false);
    CHECK(limiter.suggest("00002").outcome == TUNE_SUGGEST_CONFIG);
    limiter.on_complete("00009", loss(1), false); // not its trial: not passed on, as in Ray
    CHECK(inner.completed.size() == 1);
}

TEST_CASE("searcher wrappers: repeat runs each suggestion K times and tells the searcher the mean once",
          "[searcher][wrappers]") {
    RecordingSearcher inner;
    Repeater repeater(inner, 3, "loss");
    std::vector<std::string> configs;
    for (const std::string id : {"00000", "00001", "00002", "00003"}) configs.push_back(repeater.suggest(id).config_json);
    CHECK(configs[0] == configs[1]);
    CHECK(configs[1] == configs[2]);
    CHECK(configs[3] != configs[0]);
    CHECK(inner.suggested == std::vector<std::string>{"00000", "00003"});
    repeater.on_result("00001", loss(5)); // intermediate results are not passed on
    CHECK(inner.results.empty());
    repeater.on_complete("00001", loss(2), false);
    repeater.on_complete("00000", loss(4), false);
    CHECK(inner.completed.empty());
    repeater.on_complete("00002", std::nullopt, true); // a failed repetition is left out of the mean
    REQUIRE(inner.completed.size() == 1);
    CHECK(inner.completed[0].trial_id == "00000");
    CHECK(json::parse(inner.completed[0].result) == json{{"loss", 3.0}});
    CHECK_FALSE(inner.completed[0].failed);
}

TEST_CASE("searcher wrappers: a suggestion whose repetitions all failed is a failure for the searcher",
          "[searcher][wrappers]") {
    RecordingSearcher inner;
    Repeater repeater(inner, 2, "loss");
    repeater.suggest("00000");
    repeater.suggest("00001");
    repeater.on_complete("00000", std::nullopt, true);
    repeater.on_complete("00001", json{{"loss", nullptr}}.dump(), false); // NaN: no value
    REQUIRE(inner.completed.size() == 1);
    CHECK(inner.completed[0] == RecordingSearcher::Completion{"00000", "", true});
}

TEST_CASE("searcher wrappers: save and restore carry both wrappers and the searcher's own bytes",
          "[searcher][wrappers]") {
    RecordingSearcher inner;
    WrappedSearcher wrapped(inner, {3, 2}, "loss");
    TrialSearcher &searcher = wrapped.get();
    searcher.suggest("00000");
    searcher.suggest("00001");
    searcher.suggest("00002");
    CHECK(searcher.suggest("00003").outcome == TUNE_SUGGEST_NOT_READY);
    const std::string state = searcher.save();

    RecordingSearcher inner_restored;
    WrappedSearcher restored(inner_restored, {3, 2}, "loss");
    restored.get().restore(state);
    CHECK(restored.get().suggest("00003").outcome == TUNE_SUGGEST_NOT_READY);
    restored.get().on_complete("00000", loss(1), false);
    restored.get().on_complete("00001", loss(3), false);
    REQUIRE(inner_restored.completed.size() == 1);
    CHECK(json::parse(inner_restored.completed[0].result) == json{{"loss", 2.0}});
    // 00002 was the second suggestion's first repetition; 00003 its second.
    CHECK(json::parse(restored.get().suggest("00003").config_json) == json{{"n", 1}});
    CHECK(json::parse(restored.get().suggest("00004").config_json) == json{{"n", 2}});

    RecordingSearcher other;
    WrappedSearcher mismatched(other, {3, 2}, "loss");
    CHECK_THROWS_AS(mismatched.get().restore("not a wrapper state"), StateError);
}

TEST_CASE("searcher wrappers: through the controller, max_concurrent bounds the trials at once and repeat "
          "runs each config with several seeds",
          "[searcher][wrappers][controller]") {
    SECTION("max_concurrent") {
        Experiment experiment = unit_experiment(4);
        experiment.searcher_wrappers.max_concurrent = 1;
        ControllerHarness harness(experiment, falling_loss());
        harness.run();
        CHECK(harness.executor().max_running() == 1); // 2 CPUs would allow 2
        for (const auto &trial : harness.controller().trials()) CHECK(trial->status == TrialStatus::Terminated);
        CHECK(harness.controller().trials().size() == 4);
    }
    SECTION("repeat") {
        Experiment experiment = unit_experiment(2);
        experiment.searcher_wrappers.repeat = 3;
        ControllerHarness harness(experiment, falling_loss());
        harness.run();
        const auto &trials = harness.controller().trials();
        REQUIRE(trials.size() == 6); // num_samples suggestions, each 3 times
        std::map<std::string, std::set<std::uint64_t>> seeds_by_config;
        for (const auto &trial : trials) seeds_by_config[trial->config.dump()].insert(trial->seed);
        CHECK(seeds_by_config.size() == 2);
        for (const auto &[config, seeds] : seeds_by_config) CHECK(seeds.size() == 3);
    }
}
