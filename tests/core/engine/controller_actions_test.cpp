// The controller applies a scheduler's actions (tune/scheduler.h, ABI 1.2): a waiting trial
// stopped, a checkpoint asked for, and Population Based Training's exploit (a trial continues
// from another trial's checkpoint with a new config). The scheduler is scripted
// (tests/test_plugins/scripted_scheduler.cpp); trials and storage are in memory.
#include <catch2/catch.hpp>

#include <algorithm>

#include "core/plugin/plugin_error.hpp"
#include "support/controller_harness.hpp"

using namespace tune::core;
using namespace tune::test;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

// Two trials at once on the unit experiment, under a scheduler scripted with options.
Experiment scripted(json options, long long num_samples = 2) {
    Experiment experiment = unit_experiment(num_samples);
    experiment.scheduler = {"org.tune.test.scripted", std::move(options)};
    return experiment;
}

json exploit(const std::string &trial, const std::string &donor, double x) {
    return {{"action", "exploit"}, {"trial_id", trial}, {"donor_id", donor}, {"config", {{"x", x}}},
            {"detail", {{"quantile", "lower"}}}};
}

json at_result(const std::string &trial, long long iteration, json actions, const std::string &decision = "CONTINUE") {
    return {{"trial", trial}, {"iteration", iteration}, {"decision", decision}, {"actions", std::move(actions)}};
}

std::size_t journal_index(ControllerHarness &harness, const std::string &line) {
    const auto &journal = harness.executor().journal;
    return static_cast<std::size_t>(std::find(journal.begin(), journal.end(), line) - journal.begin());
}

bool journal_has(ControllerHarness &harness, const std::string &line) {
    return journal_index(harness, line) < harness.executor().journal.size();
}

double last_loss(ControllerHarness &harness, const std::string &id) {
    return *harness.trial(id).last_result->number("loss");
}

} // namespace

TEST_CASE("controller actions: an exploited trial continues from the donor's checkpoint with the new config",
          "[controller][actions][exploit]") {
    // 00000 is checkpointed at 2 on the scheduler's word; 00001, at 3, continues from it.
    ControllerHarness harness(
        scripted({{"on_result",
                   {at_result("00000", 2, {{{"action", "checkpoint"}, {"trial_id", "00000"}}}),
                    at_result("00001", 3, json::array({exploit("00001", "00000", 0.05)}))}}}),
        falling_loss());
    harness.run();

    const Trial &trial = harness.trial("00001");
    CHECK(trial.status == TrialStatus::Terminated);
    CHECK(trial.config == json{{"x", 0.05}});
    REQUIRE(trial.lineage.size() == 1);
    CHECK(trial.lineage[0].iteration == 3);
    CHECK(trial.lineage[0].donor == "00000");
    CHECK(trial.lineage[0].donor_iteration == 2);
    CHECK(trial.lineage[0].new_config == json{{"x", 0.05}});
    CHECK(trial.lineage[0].old_config == harness.records().exploits.at(0).old_config);
    CHECK(trial.lineage[0].old_config != trial.config);
    // Its own results, then the donor's lineage from iteration 2 on: 3 and 4 with the new x.
    CHECK(harness.records().iterations("00001") == std::vector<long long>{1, 2, 3, 3, 4});
    CHECK(last_loss(harness, "00001") == Approx(0.05 + 1.0 / 4));
    CHECK(journal_has(harness, "start 00001 from trial_00001/checkpoint_000002_gen1"));
    CHECK(journal_has(harness, "save 00000 at 2")); // the scheduler's checkpoint, with none periodic
    // The run it had ended without a checkpoint of the old lineage.
    CHECK_FALSE(journal_has(harness, "save 00001 at 3"));
    const auto &decisions = harness.records().trials.at("00001").decisions;
    CHECK(std::count(decisions.begin(), decisions.end(), std::pair<long long, std::string>{3, "EXPLOIT"}) == 1);
    REQUIRE(harness.records().exploits.size() == 1);
    CHECK(harness.records().exploits[0].donor_config == harness.trial("00000").config);
    CHECK(harness.records().exploits[0].detail_json == R"({"quantile":"lower"})");
}

TEST_CASE("controller actions: an exploit waits for the donor's checkpoint being saved, and drops the trial's run",
          "[controller][actions][exploit]") {
    // At 00000's result 2 the scheduler asks for its checkpoint and exploits the running 00001
    // from it: 00001's run is dropped at once, and it continues from 00000's iteration 2, not
    // from an older checkpoint.
    Experiment experiment = scripted(
        {{"on_result",
          {at_result("00000", 2, {{{"action", "checkpoint"}, {"trial_id", "00000"}}, exploit("00001", "00000", 0.5)})}}});
    experiment.checkpoint.frequency = 1;
    ControllerHarness harness(experiment, falling_loss());
    harness.run();

    const Trial &trial = harness.trial("00001");
    REQUIRE(trial.lineage.size() == 1);
    CHECK(trial.lineage[0].donor_iteration == 2);
    CHECK(journal_has(harness, "start 00001 from trial_00001/checkpoint_000002_gen1"));
    CHECK(journal_index(harness, "save 00000 at 2") < journal_index(harness, "start 00001 from trial_00001/checkpoint_000002_gen1"));
    CHECK(trial.status == TrialStatus::Terminated);
    CHECK(trial.iteration == 4);
    CHECK(last_loss(harness, "00001") == Approx(0.5 + 1.0 / 4));
    // The clone is the recipient's own: its later checkpoints continue in its new lineage.
    for (const auto &checkpoint : trial.checkpoints)
        CHECK(checkpoint.dir.filename().string().find("_gen1") != std::string::npos);
}

TEST_CASE("controller actions: the donor's retention deletes its own checkpoint, never the clone",
          "[controller][actions][exploit]") {
    Experiment experiment = scripted({{"on_result", {at_result("00000", 2, json::array({exploit("00001", "00000", 0.5)}))}}});
    experiment.checkpoint.frequency = 1;
    experiment.checkpoint.num_to_keep = 1;
    ControllerHarness harness(experiment, falling_loss());
    harness.run();

    const auto &published = harness.storage().checkpoints.published();
    CHECK(published.count(experiment.experiment_dir() / "trial_00000" / "checkpoint_000002") == 0); // retention
    CHECK(journal_has(harness, "start 00001 from trial_00001/checkpoint_000002_gen1"));
    // The restore read the clone: 00001 went on from iteration 2 with the new config.
    CHECK(harness.records().iterations("00001").back() == 4);
    CHECK(last_loss(harness, "00001") == Approx(0.5 + 1.0 / 4));
    CHECK(harness.trial("00001").latest_checkpoint()->dir.parent_path().filename() == "trial_00001");
}

TEST_CASE("controller actions: a paused trial the scheduler stops ends TERMINATED without running again",
          "[controller][actions][stop]") {
    Experiment experiment =
        scripted({{"on_result",
                   {at_result("00000", 2, json::array(), "PAUSE"),
                    at_result("00001", 3,
                              {{{"action", "stop"}, {"trial_id", "00000"}, {"detail", {{"reason", "lost its rung"}}}}})}}});
    experiment.max_concurrent_trials = 1;
    ControllerHarness harness(experiment, falling_loss());
    harness.run();

    CHECK(harness.status("00000") == "TERMINATED");
    CHECK(harness.trial("00000").stop_reason == "stopped by scheduler: lost its rung");
    CHECK(harness.records().iterations("00000") == std::vector<long long>{1, 2});
    CHECK(harness.records().trials.at("00000").opens == 1);
    const auto &decisions = harness.records().trials.at("00000").decisions;
    CHECK(decisions.back() == std::pair<long long, std::string>{2, "STOP"});
    CHECK(harness.status("00001") == "TERMINATED");
    CHECK(harness.trial("00001").iteration == 4);
}

TEST_CASE("controller actions: a running trial the scheduler stops ends after the result it has in flight",
          "[controller][actions][stop]") {
    ControllerHarness harness(
        scripted({{"on_result", {at_result("00001", 2, {{{"action", "stop"}, {"trial_id", "00000"}}})}}}),
        falling_loss());
    harness.run();
    CHECK(harness.status("00000") == "TERMINATED");
    CHECK(harness.trial("00000").stop_reason == "stopped by scheduler");
    CHECK(harness.trial("00000").iteration < 4);
    CHECK(harness.trial("00001").iteration == 4);
}

TEST_CASE("controller actions: an action on a trial that does not exist or has ended stops the run, naming both",
          "[controller][actions][errors]") {
    SECTION("unknown trial") {
        ControllerHarness harness(
            scripted({{"on_result", {at_result("00000", 1, {{{"action", "stop"}, {"trial_id", "00009"}}})}}}),
            falling_loss());
        CHECK_THROWS_WITH(harness.run(), Contains("scheduler 'org.tune.test.scripted' asked to stop trial '00009', "
                                                  "which does not exist"));
    }
    SECTION("ended trial") {
        ControllerHarness harness(
            scripted({{"on_complete", {{{"trial", "00000"}, {"actions", json::array({exploit("00000", "00001", 0.1)})}}}}}),
            falling_loss());
        CHECK_THROWS_WITH(harness.run(), Contains("asked to exploit trial 00000, which has ended (TERMINATED)"));
    }
    SECTION("malformed action") {
        ControllerHarness harness(
            scripted({{"on_result", {at_result("00000", 1, {{{"action", "clone"}, {"trial_id", "00001"}}})}}}),
            falling_loss());
        CHECK_THROWS_WITH(harness.run(), Contains("take_actions: action 0 is \"clone\", expected \"stop\", "
                                                  "\"checkpoint\" or \"exploit\""));
    }
}

TEST_CASE("controller actions: an exploit whose donor has no checkpoint is skipped, and the trial goes on",
          "[controller][actions][exploit]") {
    ControllerHarness harness(scripted({{"on_result", {at_result("00001", 2, json::array({exploit("00001", "00000", 0.5)}))}}}),
                              falling_loss());
    harness.run();
    const Trial &trial = harness.trial("00001");
    CHECK(trial.lineage.empty());
    CHECK(trial.config != json{{"x", 0.5}});
    CHECK(harness.records().iterations("00001") == std::vector<long long>{1, 2, 3, 4});
    const auto &decisions = harness.records().trials.at("00001").decisions;
    CHECK(std::count(decisions.begin(), decisions.end(), std::pair<long long, std::string>{2, "EXPLOIT_SKIPPED"}) == 1);
}

TEST_CASE("controller actions: a host killed while an exploit waits for its donor resumes with the exploit intact",
          "[controller][actions][exploit][resume]") {
    // As the donor's checkpoint of iteration 2 is saved, the host dies (the disk is copied as
    // it was): the checkpoint was never published, and the saved state holds the pending
    // exploit. The resumed run applies it from the donor's latest checkpoint that survived.
    Experiment experiment = scripted(
        {{"on_result",
          {at_result("00000", 2, {{{"action", "checkpoint"}, {"trial_id", "00000"}}, exploit("00001", "00000", 0.5)})}}});
    experiment.checkpoint.frequency = 1;
    auto storage = std::make_shared<Storage>();
    std::shared_ptr<Storage> at_kill;
    ControllerHarness killed(experiment, falling_loss(), storage);
    killed.executor().on_event = [&](const TrialEvent &event) {
        if (!at_kill && event.kind == TrialEvent::Kind::Saved && event.trial_id == "00000" &&
            killed.executor().journal.back() == "save 00000 at 2")
            at_kill = std::make_shared<Storage>(*storage);
    };
    killed.run();
    REQUIRE(at_kill);
    const ExperimentState saved = at_kill->last_state();
    REQUIRE(saved.trials.at(1).pending_exploit);
    CHECK(saved.trials.at(1).pending_exploit->donor == "00000");

    ControllerHarness resumed(experiment, falling_loss(), at_kill, true);
    CHECK_FALSE(resumed.run());
    const Trial &trial = resumed.trial("00001");
    REQUIRE(trial.lineage.size() == 1);
    CHECK(trial.lineage[0].donor == "00000");
    CHECK(trial.lineage[0].donor_iteration == 1); // the save of 2 died with the host
    CHECK(trial.config == json{{"x", 0.5}});
    CHECK(trial.status == TrialStatus::Terminated);
    CHECK(last_loss(resumed, "00001") == Approx(0.5 + 1.0 / 4));
    CHECK(journal_has(resumed, "start 00001 from trial_00001/checkpoint_000001_gen1"));
    const auto iterations = resumed.records().iterations("00001");
    CHECK(std::vector<long long>(iterations.end() - 3, iterations.end()) == std::vector<long long>{2, 3, 4});
}

TEST_CASE("controller actions: HyperBand's rungs pause, stop and resume trials until every one has ended",
          "[controller][actions][hyperband]") {
    Experiment experiment = unit_experiment(9);
    experiment.scheduler = {"org.tune.scheduler.hyperband",
                            {{"max_t", 9}, {"reduction_factor", 3}, {"time_attr", "training_iteration"}}};
    // No [stop] at max_t: as in Ray, a stop criterion would end trials before HyperBand sees
    // their result, and they would leave their brackets unjudged.
    experiment.stop.training_iteration.reset();
    ControllerHarness harness(experiment, falling_loss());
    harness.run();

    std::size_t stopped_by_scheduler = 0, reached_max_t = 0;
    for (const auto &trial : harness.controller().trials()) {
        INFO("trial " << trial->id << ": " << trial->stop_reason);
        CHECK(trial->status == TrialStatus::Terminated);
        CHECK(trial->stop_reason.find("never resumed") == std::string::npos); // no rung left waiting
        stopped_by_scheduler += trial->stop_reason.rfind("stopped by scheduler", 0) == 0;
        reached_max_t += trial->iteration == 9;
    }
    CHECK(stopped_by_scheduler > 0);
    CHECK(reached_max_t > 0);
    CHECK(reached_max_t < 9);
}

TEST_CASE("controller actions: PBT exploits through the controller and every trial trains to the end",
          "[controller][actions][pbt]") {
    Experiment experiment = unit_experiment(4);
    experiment.stop.training_iteration = 12;
    experiment.scheduler = {"org.tune.scheduler.pbt",
                            {{"time_attr", "training_iteration"},
                             {"perturbation_interval", 3},
                             {"quantile_fraction", 0.5},
                             {"hyperparam_mutations", {{"x", {{"uniform", {0.0, 1.0}}}}}}}};
    ControllerHarness harness(experiment, falling_loss());
    harness.run();

    std::size_t exploits = 0;
    for (const auto &trial : harness.controller().trials()) {
        INFO("trial " << trial->id);
        CHECK(trial->status == TrialStatus::Terminated);
        CHECK(trial->iteration == 12);
        exploits += trial->lineage.size();
        for (const auto &step : trial->lineage) {
            CHECK(step.donor != trial->id);
            CHECK(step.donor_iteration % 3 == 0); // a donor's checkpoint of its perturbation point
        }
    }
    CHECK(exploits > 0);
    CHECK(exploits == harness.records().exploits.size());
}
