// The HyperBand scheduler's save and restore: a state saved mid-bracket, restored into a fresh
// instance, gives exactly the later decisions, actions and choices of the original; state that
// does not fit the options, or is malformed, is refused and changes nothing.
#include <catch2/catch.hpp>

#include "scheduler_hyperband_fixture.hpp"

using namespace tune::test;
using tune::core::SchedulerAdapter;

namespace {

// One step of an experiment, as the engine would play it.
struct Step {
    enum Kind { add, choose, report, fail, complete };
    Step(Kind kind_, int trial_ = 0, double time_ = 0, double loss_ = 0)
        : kind(kind_), trial(trial_), time(time_), loss(loss_) {}
    Kind kind;
    int trial;
    double time;
    double loss;
};

Json options() { return {{"max_t", 8}, {"reduction_factor", 2}}; }

// Runs steps [first, last) and writes down everything the scheduler answered.
void play(FakeHost &host, const std::vector<Step> &steps, std::size_t first, std::size_t last,
          std::vector<std::string> &trace) {
    for (std::size_t i = first; i < last; ++i) {
        const Step &step = steps[i];
        const std::string id = ft(step.trial);
        switch (step.kind) {
        case Step::add: host.add(id); break;
        case Step::choose: trace.push_back("choose " + host.choose().value_or("none")); break;
        case Step::report: {
            const Outcome outcome = host.report(id, {{"training_iteration", step.time}, {"loss", step.loss}});
            trace.push_back(id + " " + outcome.action + " " + outcome.detail.dump());
            break;
        }
        case Step::fail: host.fail(id); break;
        case Step::complete: host.complete(id, Json{{"training_iteration", step.time}, {"loss", step.loss}}); break;
        }
        for (const std::string &stopped : host.take_stopped()) trace.push_back("stop " + stopped);
    }
}

// Fourteen trials in brackets s = 0 (ft_0000-0003), 1 (ft_0004-0007) and 2 (ft_0008-0013),
// with pauses, halvings, stop actions, a failure and a stalled rung on the way.
std::vector<Step> experiment() {
    std::vector<Step> steps;
    for (int i = 0; i < 14; ++i) steps.push_back({Step::add, i});
    for (int i = 0; i < 14; ++i) steps.push_back({Step::choose});
    for (int i = 0; i < 4; ++i) steps.push_back({Step::report, i, 1, 0.5 + i});
    steps.push_back({Step::report, 4, 4, 3});
    steps.push_back({Step::report, 5, 4, 1});
    steps.push_back({Step::report, 6, 2, 2});
    for (int i = 8; i < 13; ++i) steps.push_back({Step::report, i, 2, i - 8.0});
    // -- saved here: trials paused at rungs 2 and 4, nothing halved yet --
    steps.push_back({Step::report, 13, 2, 5});
    for (int i = 0; i < 4; ++i) steps.push_back({Step::choose});
    steps.push_back({Step::report, 6, 4, 2});
    steps.push_back({Step::report, 7, 4, 0.5});
    for (int i = 0; i < 3; ++i) steps.push_back({Step::choose});
    steps.push_back({Step::report, 9, 4, 1});
    steps.push_back({Step::report, 10, 4, 2});
    steps.push_back({Step::fail, 8}); // after the bracket's first halving: Ray would not halve again
    steps.push_back({Step::choose}); // the stalled rung at 4 completes
    steps.push_back({Step::choose});
    for (int i = 0; i < 4; ++i) steps.push_back({Step::report, i, 8, 4.0 - i});
    steps.push_back({Step::complete, 7, 6, 0.4});
    steps.push_back({Step::choose});
    return steps;
}

constexpr std::size_t save_at = 14 + 14 + 4 + 3 + 5;

} // namespace

TEST_CASE("hyperband state: a state saved mid-bracket gives identical later decisions") {
    const std::vector<Step> steps = experiment();
    auto original = make_hyperband(options(), "loss", "min");
    FakeHost host(original);
    std::vector<std::string> before;
    play(host, steps, 0, save_at, before);
    const std::string saved = original.save();
    const Json described = describe(original);

    auto restored = make_hyperband(options(), "loss", "min");
    restored.restore(saved);
    CHECK(restored.save() == saved);
    CHECK(describe(restored) == described);
    FakeHost restored_host(restored, host);

    std::vector<std::string> expected;
    std::vector<std::string> actual;
    play(host, steps, save_at, steps.size(), expected);
    play(restored_host, steps, save_at, steps.size(), actual);
    CHECK(actual == expected);
    CHECK(describe(restored) == describe(original));
    CHECK(restored.save() == original.save());
    // The run got somewhere: halvings, stop actions, and the stalled rung completed.
    const std::string all = Json(expected).dump();
    CHECK_THAT(all, Catch::Contains("stop ft_0012"));
    CHECK_THAT(all, Catch::Contains("promoted to the next rung"));
    CHECK_THAT(all, Catch::Contains("bracket finished"));
    CHECK(describe(original)["stopped"].get<int>() >= 5);
}

TEST_CASE("hyperband state: a state saved after each step restores to the same future") {
    const std::vector<Step> steps = experiment();
    for (std::size_t cut = 14; cut < steps.size(); cut += 7) {
        INFO("saved after step " << cut);
        auto original = make_hyperband(options(), "loss", "min");
        FakeHost host(original);
        std::vector<std::string> ignored;
        play(host, steps, 0, cut, ignored);
        auto restored = make_hyperband(options(), "loss", "min");
        restored.restore(original.save());
        FakeHost restored_host(restored, host);
        std::vector<std::string> expected;
        std::vector<std::string> actual;
        play(host, steps, cut, steps.size(), expected);
        play(restored_host, steps, cut, steps.size(), actual);
        CHECK(actual == expected);
    }
}

TEST_CASE("hyperband state: foreign or mismatched or malformed states are refused and change nothing") {
    auto original = make_hyperband(options(), "loss", "min");
    FakeHost host(original);
    host.add(0, 6);
    const std::string saved = original.save();

    auto target = make_hyperband(options(), "loss", "min");
    FakeHost target_host(target);
    target_host.add(0, 2);
    const std::string before = target.save();

    Json tampered_trials = Json::parse(saved);
    tampered_trials["trials"]["ft_0000"]["bracket"] = 7;
    Json tampered_live = Json::parse(saved);
    tampered_live["layout"]["brackets"][0]["live"][0] = {"ft_9999", nullptr, nullptr};
    Json tampered_band = Json::parse(saved);
    tampered_band["layout"]["bands"][0] = {0, 1, 2, 3, 4};
    Json tampered_halves = Json::parse(saved);
    tampered_halves["layout"]["brackets"][1]["halves"] = 2;
    Json missing = Json::parse(saved);
    missing.erase("stopped");

    const std::pair<std::string, std::string> cases[] = {
        {"not json", "saved hyperband state is not JSON"},
        {R"({"format": "org.tune.scheduler.asha/1"})", "saved state is not hyperband state"},
        {tampered_trials.dump(), "trial 'ft_0000' needs a valid 'bracket'"},
        {tampered_live.dump(), "live trial 'ft_9999' is not a trial of its bracket"},
        {tampered_band.dump(), "band 0 is not a list of at most 4 brackets"},
        {tampered_halves.dump(), "needs an integer 'halves' <= 1"},
        {missing.dump(), "needs an integer 'stopped'"},
    };
    for (const auto &item : cases) {
        const std::string &state = item.first;
        const std::string &expected = item.second;
        INFO(expected);
        auto [status, message] = call_error([&] { target.restore(state); });
        CHECK(status == TUNE_ERROR_STATE);
        CHECK_THAT(message, Catch::Contains(expected));
        CHECK(target.save() == before);
    }

    // Other options: the bands' shape or the recorded values would mean something else.
    std::pair<SchedulerAdapter, std::string> others[] = {
        {make_hyperband({{"max_t", 9}, {"reduction_factor", 2}}, "loss", "min"), "recorded with max_t 8"},
        {make_hyperband({{"max_t", 8}, {"reduction_factor", 3}}, "loss", "min"), "recorded with reduction_factor 2"},
        {make_hyperband(options(), "accuracy", "max"), "recorded with metric \"loss\""},
        {make_hyperband({{"max_t", 8}, {"reduction_factor", 2}, {"time_attr", "time_total_s"}}, "loss", "min"),
         "recorded with time_attr \"training_iteration\""},
    };
    for (auto &item : others) {
        SchedulerAdapter &scheduler = item.first;
        const std::string &expected = item.second;
        INFO(expected);
        auto [status, message] = call_error([&] { scheduler.restore(saved); });
        CHECK(status == TUNE_ERROR_STATE);
        CHECK_THAT(message, Catch::Contains(expected));
    }
    // stop_last_trials and mode apply from the restore on.
    auto relaxed = make_hyperband({{"max_t", 8}, {"reduction_factor", 2}, {"stop_last_trials", false}}, "loss", "max");
    relaxed.restore(saved);
    CHECK(bracket_state(relaxed, 0, 1)["trials"] == 2);
}
