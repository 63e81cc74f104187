// The median stopping scheduler in whole experiments, through the controller and the
// in-memory executor (tests/support/controller_harness.hpp): it stops trials early, yields,
// keeps its decision-point promise while fast trials are stepped ahead, and resumes.
#include <catch2/catch.hpp>

#include <map>

#include "support/controller_harness.hpp"

using namespace tune::core;
using namespace tune::test;
using nlohmann::json;

namespace {

// 12 trials, two at a time, of loss = x + 1 / iteration up to iteration 20: median stopping
// on training_iteration from iteration 8, with at least 2 others to compare.
Experiment median_experiment() {
    Experiment experiment = unit_experiment(12);
    experiment.scheduler = {"org.tune.scheduler.median_stopping",
                            {{"time_attr", "training_iteration"}, {"grace_period", 8}, {"min_samples_required", 2}}};
    experiment.stop.training_iteration = 20;
    return experiment;
}

FakeTrainable fast(FakeTrainable trainable) {
    trainable.step_s = 1e-5;
    return trainable;
}

std::vector<long long> one_to(long long n) {
    std::vector<long long> list;
    for (long long i = 1; i <= n; ++i) list.push_back(i);
    return list;
}

// How many decisions of each kind the experiment recorded.
std::map<std::string, int> decision_counts(ControllerHarness &harness) {
    std::map<std::string, int> counts;
    for (const auto &[trial_id, record] : harness.records().trials)
        for (const auto &[iteration, decision] : record.decisions) counts[decision] += 1;
    return counts;
}

} // namespace

TEST_CASE("median stopping experiment: trials stop early and fast trials get the same decisions as slow ones") {
    ControllerHarness slow(median_experiment(), falling_loss());
    ControllerHarness quick(median_experiment(), fast(falling_loss()));
    CHECK_FALSE(slow.run());
    CHECK_FALSE(quick.run()); // a broken promise would stop it with an error
    CHECK(quick.executor().max_steps_in_flight() > 1); // stepped ahead before the grace period

    std::map<std::string, int> counts = decision_counts(slow);
    CHECK(counts["STOP"] > 0);
    CHECK(counts["PAUSE"] > 0); // yields: the searcher keeps a trial PENDING
    long long stopped_early = 0;
    for (const auto &trial : quick.controller().trials()) {
        INFO("trial " << trial->id);
        CHECK(quick.status(trial->id) == "TERMINATED");
        CHECK(quick.records().trials.at(trial->id).decisions == slow.records().trials.at(trial->id).decisions);
        CHECK(quick.records().iterations(trial->id) == one_to(trial->iteration));
        stopped_early += trial->iteration < 20;
        // Nothing but CONTINUE before the grace period.
        for (const auto &[iteration, decision] : quick.records().trials.at(trial->id).decisions)
            CHECK((iteration >= 8 || decision == "CONTINUE"));
    }
    CHECK(stopped_early > 0);
}

TEST_CASE("median stopping experiment: an interrupted experiment resumes from the scheduler's saved state") {
    auto storage = std::make_shared<Storage>();
    ControllerHarness interrupted(median_experiment(), falling_loss(), storage);
    int results = 0;
    interrupted.executor().on_event = [&](const TrialEvent &event) {
        if (event.kind == TrialEvent::Kind::Result && ++results == 60) interrupted.stop_requests() = 1;
    };
    CHECK(interrupted.run());
    const std::string saved = storage->last_state().scheduler_state;
    CHECK_THAT(saved, Catch::Contains("org.tune.scheduler.median_stopping/1"));

    ControllerHarness resumed(median_experiment(), falling_loss(), storage, true);
    CHECK_FALSE(resumed.run());
    long long stopped_early = 0;
    for (const auto &trial : resumed.controller().trials()) {
        INFO("trial " << trial->id);
        CHECK(resumed.status(trial->id) == "TERMINATED");
        CHECK(resumed.records().iterations(trial->id) == one_to(trial->iteration));
        stopped_early += trial->iteration < 20;
    }
    CHECK(stopped_early > 0);
}
