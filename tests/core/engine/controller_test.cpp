// The controller through the in-memory executor: whole experiments (real searcher and
// scheduler plugins, scripted trials) in milliseconds, with no processes, sleeps or files.
#include <catch2/catch.hpp>

#include <map>

#include "core/state/experiment_errors.hpp"
#include "core/state/state_store.hpp"
#include "support/controller_harness.hpp"

using namespace tune::core;
using namespace tune::test;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

std::vector<long long> one_to(long long n) {
    std::vector<long long> list;
    for (long long i = 1; i <= n; ++i) list.push_back(i);
    return list;
}

bool journal_has(const ControllerHarness &harness, const std::string &line) {
    const auto &journal = const_cast<ControllerHarness &>(harness).executor().journal;
    return std::find(journal.begin(), journal.end(), line) != journal.end();
}

// Each trial's final training_iteration and loss.
std::map<std::string, std::pair<long long, double>> outcome(ControllerHarness &harness) {
    std::map<std::string, std::pair<long long, double>> result;
    for (const auto &trial : harness.controller().trials())
        result[trial->id] = {trial->iteration, trial->last_result ? *trial->last_result->number("loss") : -1.0};
    return result;
}

} // namespace

TEST_CASE("controller: the ASHA tutorial scenario stops trials at the rungs and runs the best to max_t",
          "[controller][asha]") {
    Experiment experiment = unit_experiment(16);
    experiment.scheduler = {"org.tune.scheduler.asha", {{"max_t", 8}, {"grace_period", 1}, {"reduction_factor", 2}}};
    experiment.stop.training_iteration.reset(); // ASHA ends every trial by max_t
    ControllerHarness harness(experiment, falling_loss());
    CHECK_FALSE(harness.run());

    const auto &trials = harness.controller().trials();
    REQUIRE(trials.size() == 16);
    const Trial *best = nullptr;
    long long steps = 0, stopped_early = 0;
    for (const auto &trial : trials) {
        INFO("trial " << trial->id);
        CHECK(trial->status == TrialStatus::Terminated);
        const auto &record = harness.records().trials.at(trial->id);
        CHECK(harness.records().iterations(trial->id) == one_to(trial->iteration)); // each iteration once
        steps += trial->iteration;
        if (trial->iteration < 8) {
            ++stopped_early;
            // Stopped at a rung (1, 2 or 4) by a STOP decision at that very iteration.
            REQUIRE_FALSE(record.decisions.empty());
            CHECK(record.decisions.back() == std::make_pair(trial->iteration, std::string("STOP")));
            CHECK((trial->iteration == 1 || trial->iteration == 2 || trial->iteration == 4));
            CHECK_THAT(trial->stop_reason, Contains("stopped by scheduler"));
        }
        if (!best || trial->config["x"].get<double>() < best->config["x"].get<double>()) best = trial.get();
    }
    CHECK(best->iteration == 8); // the best config is never cut
    CHECK(stopped_early >= 8);   // about half stop at the first rung, more at the next
    CHECK(steps < 16 * 8 / 2);
    CHECK(harness.executor().max_running() == 2); // two CPUs, one per trial
    const auto summary = harness.controller().summary();
    REQUIRE(summary.best_trial());
    CHECK(summary.trials[*summary.best_trial()].id == best->id);
}

TEST_CASE("controller: the same seed and results give the same decisions", "[controller][asha]") {
    Experiment experiment = unit_experiment(8);
    experiment.scheduler = {"org.tune.scheduler.asha", {{"max_t", 8}, {"reduction_factor", 2}}};
    ControllerHarness first(experiment, falling_loss()), second(experiment, falling_loss());
    first.run();
    second.run();
    CHECK(first.executor().journal == second.executor().journal);
}

TEST_CASE("controller: a lost worker's trial is retried from its latest checkpoint and finishes", "[controller][fault]") {
    Experiment experiment = unit_experiment(2);
    experiment.checkpoint.frequency = 1;
    experiment.max_failures = 1;
    ControllerHarness harness(experiment, falling_loss());
    harness.executor().lose_at("00000", 3);
    CHECK_FALSE(harness.run());

    const Trial &retried = harness.trial("00000");
    CHECK(retried.status == TrialStatus::Terminated);
    CHECK(retried.failures == 1);
    CHECK_THAT(retried.error, Contains("killed by signal 9"));
    CHECK(journal_has(harness, "lost 00000 at 3"));
    CHECK(journal_has(harness, "start 00000 from trial_00000/checkpoint_000002"));
    const auto &record = harness.records().trials.at("00000");
    CHECK(record.failures.size() == 1);
    CHECK(record.opens == 2);
    CHECK(harness.records().iterations("00000") == one_to(4));
    CHECK(record.results[2]["iterations_since_restore"] == 1); // iteration 3 came first after the restore
    CHECK(record.results[3]["iterations_since_restore"] == 2);
    CHECK(harness.trial("00001").failures == 0);
}

TEST_CASE("controller: a trial that fails more than max_failures times ends in ERROR", "[controller][fault]") {
    Experiment experiment = unit_experiment(2);
    experiment.max_failures = 1;
    ControllerHarness harness(experiment, falling_loss());
    harness.executor().lose_at("00001", 2, 2); // no checkpoint: each retry starts over and fails again
    harness.run();
    CHECK(harness.status("00001") == "ERROR");
    CHECK(harness.trial("00001").failures == 2);
    CHECK(harness.trial("00001").stop_reason == "error");
    CHECK(harness.records().trials.at("00001").failures.size() == 2);
    CHECK(harness.status("00000") == "TERMINATED");
}

TEST_CASE("controller: a trial the scheduler pauses frees its slot and later resumes from its checkpoint",
          "[controller][pause]") {
    Experiment experiment = unit_experiment(3);
    experiment.scheduler = {"org.tune.test.pausing", {{"pause_every", 2}}};
    experiment.stop.training_iteration = 6;
    ControllerHarness harness(experiment, falling_loss());
    CHECK_FALSE(harness.run());

    for (const std::string id : {"00000", "00001", "00002"}) {
        INFO("trial " << id);
        CHECK(harness.status(id) == "TERMINATED");
        CHECK(harness.trial(id).iteration == 6);
        CHECK(harness.records().iterations(id) == one_to(6));
        const auto &decisions = harness.records().trials.at(id).decisions;
        CHECK(decisions == std::vector<std::pair<long long, std::string>>{{2, "PAUSE"}, {4, "PAUSE"}});
        CHECK(journal_has(harness, "start " + id + " from trial_" + id + "/checkpoint_000002"));
        CHECK(journal_has(harness, "start " + id + " from trial_" + id + "/checkpoint_000004"));
    }
    CHECK(harness.executor().max_running() == 2); // the third trial ran while another was paused
}

TEST_CASE("controller: Ctrl-C pauses the running trials with a checkpoint, and a resume ends as an uninterrupted run",
          "[controller][resume]") {
    const Experiment experiment = unit_experiment(4);
    ControllerHarness reference(experiment, falling_loss());
    reference.run();

    auto storage = std::make_shared<Storage>();
    ControllerHarness interrupted(experiment, falling_loss(), storage);
    int results = 0;
    interrupted.executor().on_event = [&](const TrialEvent &event) {
        if (event.kind == TrialEvent::Kind::Result && ++results == 3) interrupted.stop_requests() = 1;
    };
    CHECK(interrupted.run());
    CHECK_THAT(interrupted.output(), Contains("Stopping: running trials pause after their current step"));
    for (const std::string id : {"00000", "00001"}) { // running when Ctrl-C came
        INFO("trial " << id);
        const Trial &trial = interrupted.trial(id);
        CHECK(trial.status == TrialStatus::Paused);
        CHECK(trial.interrupted);
        REQUIRE(trial.latest_checkpoint());
        CHECK(trial.latest_checkpoint()->iteration == trial.iteration); // paused after its step, saved
    }
    const ExperimentState saved = storage->last_state();
    for (const auto &trial : saved.trials)
        CHECK(trial.status == (trial.id == "00000" || trial.id == "00001" ? "RUNNING" : "PENDING"));

    ControllerHarness resumed(experiment, falling_loss(), storage, true);
    CHECK_FALSE(resumed.run());
    CHECK(outcome(resumed) == outcome(reference));
    for (const std::string id : {"00000", "00001", "00002", "00003"}) {
        INFO("trial " << id);
        CHECK(resumed.status(id) == "TERMINATED");
        CHECK(resumed.records().iterations(id) == one_to(4));
    }
    const long long paused_at = interrupted.trial("00000").iteration;
    CHECK(journal_has(resumed, "start 00000 from trial_00000/" + CheckpointKeeper::folder_name(paused_at)));
}

TEST_CASE("controller: a second Ctrl-C ends the trials at once, they resume from their latest checkpoint",
          "[controller][resume]") {
    Experiment experiment = unit_experiment(2);
    experiment.checkpoint.frequency = 1;
    auto storage = std::make_shared<Storage>();
    ControllerHarness interrupted(experiment, falling_loss(), storage);
    int results = 0;
    interrupted.executor().on_event = [&](const TrialEvent &event) {
        if (event.kind == TrialEvent::Kind::Result && ++results == 5) interrupted.stop_requests() = 2;
    };
    CHECK(interrupted.run());
    for (const std::string id : {"00000", "00001"}) {
        CHECK(interrupted.status(id) == "PAUSED");
        CHECK(interrupted.trial(id).interrupted);
    }
    ControllerHarness resumed(experiment, falling_loss(), storage, true);
    CHECK_FALSE(resumed.run());
    for (const std::string id : {"00000", "00001"}) {
        INFO("trial " << id);
        CHECK(resumed.status(id) == "TERMINATED");
        CHECK(resumed.records().iterations(id) == one_to(4)); // results past the checkpoint were cut and redone
    }
}

TEST_CASE("controller: the saved state restores every trial, checkpoint and plugin state as it was",
          "[controller][state]") {
    Experiment experiment = unit_experiment(6);
    experiment.scheduler = {"org.tune.scheduler.asha", {{"max_t", 4}, {"reduction_factor", 2}}};
    experiment.checkpoint.frequency = 1;
    auto storage = std::make_shared<Storage>();
    ControllerHarness first(experiment, falling_loss(), storage);
    int results = 0;
    first.executor().on_event = [&](const TrialEvent &event) {
        if (event.kind == TrialEvent::Kind::Result && ++results == 9) first.stop_requests() = 1;
    };
    first.run();
    const ExperimentState saved = storage->last_state();
    REQUIRE(saved.trials.size() >= 3);

    ControllerHarness restored(experiment, falling_loss(), storage, true);
    const ExperimentState again = restored.controller().snapshot();
    CHECK(again.searcher_state == saved.searcher_state);
    CHECK(again.scheduler_state == saved.scheduler_state);
    CHECK(again.searcher_finished == saved.searcher_finished);
    CHECK(again.started_at == saved.started_at);
    REQUIRE(again.trials.size() == saved.trials.size());
    for (std::size_t i = 0; i < saved.trials.size(); ++i) {
        const TrialState &a = again.trials[i], &b = saved.trials[i];
        INFO("trial " << b.id << " saved as " << b.status);
        CHECK(a.id == b.id);
        // A trial saved as running (interrupted) waits to run again.
        CHECK(a.status == (b.status == "RUNNING" ? "PENDING" : b.status));
        CHECK(a.config_json == b.config_json);
        CHECK(a.seed == b.seed);
        CHECK(a.last_result_json == b.last_result_json);
        CHECK(a.iteration == b.iteration);
        CHECK(a.failures == b.failures);
        REQUIRE(a.checkpoints.size() == b.checkpoints.size());
        for (std::size_t c = 0; c < a.checkpoints.size(); ++c) {
            CHECK(a.checkpoints[c].dir == b.checkpoints[c].dir);
            CHECK(a.checkpoints[c].iteration == b.checkpoints[c].iteration);
        }
    }
}

TEST_CASE("controller: the time budget ends the experiment on the injected clock", "[controller][budget]") {
    Experiment experiment = unit_experiment(2);
    experiment.stop.training_iteration = 1000;
    experiment.time_budget_s = 5.0;
    ControllerHarness harness(experiment, falling_loss());
    CHECK_FALSE(harness.run());
    for (const std::string id : {"00000", "00001"}) {
        CHECK(harness.status(id) == "TERMINATED");
        CHECK(harness.trial(id).stop_reason == "time budget reached");
        CHECK(harness.trial(id).iteration >= 5);
        CHECK(harness.trial(id).iteration <= 7);
    }
    CHECK(harness.controller().summary().end_reason == "time budget reached");
}

TEST_CASE("controller: a checkpoint that cannot be written stops the run resumably, then it finishes",
          "[controller][fault]") {
    Experiment experiment = unit_experiment(2);
    experiment.checkpoint.frequency = 1;
    auto storage = std::make_shared<Storage>();
    {
        ControllerHarness failing(experiment, falling_loss(), storage);
        failing.executor().fail_save_at("00000", 2, TUNE_ERROR_IO);
        CHECK_THROWS_AS(failing.run(), DiskError);
        CHECK(failing.status("00000") == "PAUSED"); // left to resume, not failed
        CHECK(failing.trial("00000").failures == 0);
        CHECK_THAT(failing.controller().summary().end_reason, Contains("host error") && Contains("cannot write checkpoint"));
    }
    ControllerHarness resumed(experiment, falling_loss(), storage, true);
    CHECK_FALSE(resumed.run());
    CHECK(resumed.status("00000") == "TERMINATED");
    CHECK(resumed.records().iterations("00000") == one_to(4));
}

TEST_CASE("controller: a result that is not a JSON object fails its trial, naming the problem", "[controller][fault]") {
    Experiment experiment = unit_experiment(1);
    FakeTrainable broken{[](const json &, long long iteration) {
                             return iteration == 2 ? json("{\"loss\": oops") : json{{"loss", 1.0}};
                         },
                         1.0};
    ControllerHarness harness(experiment, broken);
    harness.run();
    CHECK(harness.status("00000") == "ERROR");
    CHECK_THAT(harness.trial("00000").error, Contains("step returned invalid JSON"));
}

TEST_CASE("controller: max_concurrent_trials and the CPUs bound the trials running at once", "[controller][resources]") {
    Experiment experiment = unit_experiment(4);
    experiment.max_concurrent_trials = 1;
    ControllerHarness one(experiment, falling_loss());
    one.run();
    CHECK(one.executor().max_running() == 1);
    experiment.max_concurrent_trials = 0;
    experiment.resources.cpu = 2.0;
    ControllerHarness whole_machine(experiment, falling_loss());
    whole_machine.run();
    CHECK(whole_machine.executor().max_running() == 1);
}

// Fast steps: the controller queues Steps ahead of the results (step_pipeline.hpp). Each test
// checks that it changes nothing an experiment records.
namespace {

FakeTrainable fast(FakeTrainable trainable) {
    trainable.step_s = 1e-5;
    return trainable;
}

} // namespace

TEST_CASE("controller: fast trials are stepped ahead under FIFO, and every result is recorded once in order",
          "[controller][pipeline]") {
    Experiment experiment = unit_experiment(2);
    experiment.stop.training_iteration = 200;
    ControllerHarness harness(experiment, fast(falling_loss()));
    CHECK_FALSE(harness.run());
    CHECK(harness.executor().max_steps_in_flight() > 8);
    for (const std::string id : {"00000", "00001"}) {
        INFO("trial " << id);
        CHECK(harness.status(id) == "TERMINATED");
        CHECK(harness.records().iterations(id) == one_to(200));
        CHECK(harness.trial(id).latest_checkpoint()->iteration == 200); // at_end, of the final state
        CHECK_FALSE(journal_has(harness, "step " + id + " -> 201"));   // never stepped past the stop
    }
}

TEST_CASE("controller: slow trials are stepped one result at a time", "[controller][pipeline]") {
    ControllerHarness harness(unit_experiment(2), falling_loss()); // 1 s steps
    harness.run();
    CHECK(harness.executor().max_steps_in_flight() == 1);
}

TEST_CASE("controller: periodic checkpoints of fast trials hold the state of their iteration",
          "[controller][pipeline]") {
    Experiment experiment = unit_experiment(1);
    experiment.stop.training_iteration = 100;
    experiment.checkpoint.frequency = 10;
    ControllerHarness harness(experiment, fast(falling_loss()));
    harness.run();
    for (long long at = 10; at <= 100; at += 10) CHECK(journal_has(harness, "save 00000 at " + std::to_string(at)));
    CHECK(harness.executor().max_steps_in_flight() == 10);
}

TEST_CASE("controller: ASHA makes the same decisions for fast trials as for slow ones", "[controller][pipeline][asha]") {
    Experiment experiment = unit_experiment(16);
    experiment.scheduler = {"org.tune.scheduler.asha", {{"max_t", 64}, {"grace_period", 4}, {"reduction_factor", 2}}};
    experiment.stop.training_iteration.reset();
    ControllerHarness slow(experiment, falling_loss()), quick(experiment, fast(falling_loss()));
    slow.run();
    quick.run();
    CHECK(quick.executor().max_steps_in_flight() > 1); // between the rungs
    CHECK(outcome(quick) == outcome(slow));
    for (const auto &trial : quick.controller().trials()) {
        INFO("trial " << trial->id);
        CHECK(quick.records().trials.at(trial->id).decisions == slow.records().trials.at(trial->id).decisions);
        CHECK(quick.records().iterations(trial->id) == one_to(trial->iteration));
    }
}

TEST_CASE("controller: a stop no barrier foresees drops the results already asked for", "[controller][pipeline]") {
    Experiment experiment = unit_experiment(1);
    experiment.stop.training_iteration = 1000;
    experiment.stop.metrics["loss"] = {MetricThreshold::Direction::AtMost, 0.1};
    experiment.checkpoint.at_end = false; // else no step goes ahead
    FakeTrainable ten_over_i = fast(falling_loss());
    ten_over_i.result = [](const json &, long long iteration) { return json{{"loss", 10.0 / iteration}}; };
    ControllerHarness harness(experiment, ten_over_i);
    harness.run();
    const Trial &trial = harness.trial("00000");
    CHECK(trial.status == TrialStatus::Terminated);
    CHECK_THAT(trial.stop_reason, Contains("loss"));
    CHECK(trial.iteration == 100);
    CHECK(harness.records().iterations("00000") == one_to(100)); // nothing after the stop
    const auto &journal = harness.executor().journal;
    CHECK(std::any_of(journal.begin(), journal.end(), [](const std::string &line) { // asked for, and dropped
        return line.rfind("release 00000 dropping", 0) == 0;
    }));
    CHECK(harness.executor().max_steps_in_flight() > 1);
}

TEST_CASE("controller: a fast trial that reports done is checkpointed at that result", "[controller][pipeline]") {
    Experiment experiment = unit_experiment(1);
    experiment.stop.training_iteration = 1000;
    FakeTrainable done_at_37 = fast(falling_loss());
    done_at_37.result = [](const json &config, long long iteration) {
        return json{{"loss", config.at("x").get<double>()}, {"done", iteration == 37}};
    };
    ControllerHarness harness(experiment, done_at_37);
    harness.run();
    CHECK(harness.trial("00000").iteration == 37);
    CHECK(harness.records().iterations("00000") == one_to(37));
    CHECK(journal_has(harness, "save 00000 at 37")); // the steps queued behind it were skipped
    CHECK(journal_has(harness, "skip 00000 at 38"));
    CHECK(harness.status("00000") == "TERMINATED");
}

TEST_CASE("controller: Ctrl-C pauses fast trials after the results already asked for, resumably",
          "[controller][pipeline][resume]") {
    Experiment experiment = unit_experiment(2);
    experiment.stop.training_iteration = 300;
    auto storage = std::make_shared<Storage>();
    ControllerHarness interrupted(experiment, fast(falling_loss()), storage);
    int results = 0;
    interrupted.executor().on_event = [&](const TrialEvent &event) {
        if (event.kind == TrialEvent::Kind::Result && ++results == 101) interrupted.stop_requests() = 1;
    };
    CHECK(interrupted.run());
    for (const std::string id : {"00000", "00001"}) {
        INFO("trial " << id);
        const Trial &trial = interrupted.trial(id);
        CHECK(trial.status == TrialStatus::Paused);
        REQUIRE(trial.latest_checkpoint());
        CHECK(trial.latest_checkpoint()->iteration == trial.iteration);
        CHECK(journal_has(interrupted, "save " + id + " at " + std::to_string(trial.iteration)));
        CHECK(interrupted.records().iterations(id) == one_to(trial.iteration));
    }
    ControllerHarness resumed(experiment, fast(falling_loss()), storage, true);
    CHECK_FALSE(resumed.run());
    for (const std::string id : {"00000", "00001"}) {
        CHECK(resumed.status(id) == "TERMINATED");
        CHECK(resumed.records().iterations(id) == one_to(300));
    }
}

TEST_CASE("controller: a scheduler's kept decision points pause fast trials exactly", "[controller][pipeline][pause]") {
    Experiment experiment = unit_experiment(1);
    experiment.scheduler = {"org.tune.test.pausing", {{"pause_every", 20}, {"decision_points", "kept"}}};
    experiment.stop.training_iteration = 60;
    ControllerHarness harness(experiment, fast(falling_loss()));
    CHECK_FALSE(harness.run());
    CHECK(harness.executor().max_steps_in_flight() > 1);
    CHECK(harness.records().trials.at("00000").decisions ==
          std::vector<std::pair<long long, std::string>>{{20, "PAUSE"}, {40, "PAUSE"}});
    CHECK(journal_has(harness, "save 00000 at 20"));
    CHECK(journal_has(harness, "start 00000 from trial_00000/checkpoint_000040"));
    CHECK(harness.records().iterations("00000") == one_to(60));
}

TEST_CASE("controller: a scheduler that breaks its decision-point promise stops the experiment with its name",
          "[controller][pipeline][pause]") {
    Experiment experiment = unit_experiment(1);
    experiment.scheduler = {"org.tune.test.pausing", {{"pause_every", 20}, {"decision_points", "broken"}}};
    experiment.stop.training_iteration = 60;
    ControllerHarness harness(experiment, fast(falling_loss()));
    CHECK_THROWS_WITH(harness.run(), Contains("org.tune.test.pausing") && Contains("PAUSE") &&
                                         Contains("training_iteration 20") && Contains("next_decision_point"));
    CHECK(harness.storage().last_state().trials.at(0).status == "RUNNING"); // resumable
}

TEST_CASE("controller: spare CPUs go to a lone trial and come back when a waiting trial starts",
          "[controller][spare_cpus]") {
    // Three trials on 2 CPUs that report done after 12, 3 and 10 steps; the searcher keeps two
    // in flight, and the scheduler holds trial 2 back until trial 0 reached iteration 6.
    Experiment experiment = unit_experiment(1);
    experiment.search_space = {{"length", {{"grid_search", {12, 3, 10}}}}};
    experiment.searcher = {"org.tune.searcher.grid", json::object()};
    experiment.searcher_wrappers.max_concurrent = 2;
    experiment.scheduler = {"org.tune.test.scripted",
                            {{"hold", {{{"trial", "00002"}, {"until", {{"trial", "00000"}, {"iteration", 6}}}}}}}};
    experiment.stop.training_iteration = 20;
    FakeTrainable done_at_length{[](const json &config, long long iteration) {
                                     return json{{"loss", 1.0 / static_cast<double>(iteration)},
                                                 {"done", iteration >= config.at("length").get<long long>()}};
                                 },
                                 1.0};
    std::vector<std::string> lent_journal;
    for (const bool lend : {true, false}) {
        experiment.lend_spare_cpus = lend;
        ControllerHarness harness(experiment, done_at_length);
        CHECK_FALSE(harness.run());
        const auto &journal = harness.executor().journal;
        for (const std::string id : {"00000", "00001", "00002"}) CHECK(harness.status(id) == "TERMINATED");
        std::vector<std::string> threads;
        std::copy_if(journal.begin(), journal.end(), std::back_inserter(threads),
                     [](const std::string &line) { return line.rfind("threads", 0) == 0 || line.rfind("start", 0) == 0; });
        INFO("lend_spare_cpus = " << lend);
        if (!lend) {
            CHECK(threads == std::vector<std::string>{"start 00000", "start 00001", "start 00002"});
            // Lending changes nothing else: the same requests in the same order.
            std::vector<std::string> without_threads;
            std::copy_if(lent_journal.begin(), lent_journal.end(), std::back_inserter(without_threads),
                         [](const std::string &line) { return line.rfind("threads", 0) != 0; });
            CHECK(without_threads == journal);
            continue;
        }
        lent_journal = journal;
        // Trial 1 ends at 3: trial 0 trains alone on both CPUs (after the steps it was already
        // sent). Trial 2 starts once trial 0 reached 6 and takes one back; when trial 0 ends,
        // trial 2 gets it.
        CHECK(threads == std::vector<std::string>{"start 00000", "start 00001", "threads 00000 -> 2", "start 00002",
                                                  "threads 00000 -> 1", "threads 00002 -> 2"});
        const auto at = [&](const std::string &line) { return std::find(journal.begin(), journal.end(), line) - journal.begin(); };
        CHECK(at("save 00001 at 3") < at("threads 00000 -> 2"));
        CHECK(at("threads 00000 -> 2") < at("step 00000 -> 6"));
        CHECK(at("step 00000 -> 6") < at("start 00002"));
        CHECK(at("start 00002") < at("threads 00000 -> 1"));
        CHECK(at("threads 00000 -> 1") < at("step 00000 -> 12"));
        CHECK(at("save 00000 at 12") < at("threads 00002 -> 2"));
    }
}

TEST_CASE("controller: no state is saved between a PAUSE and its checkpoint", "[controller][state]") {
    // Saved there, a resumed run would restart the paused trial from an older checkpoint than
    // the scheduler counts on, and an exploit of it would take that one.
    Experiment experiment = unit_experiment(2);
    experiment.scheduler = {"org.tune.test.scripted",
                            {{"on_result",
                              {{{"trial", "00000"}, {"iteration", 3}, {"decision", "PAUSE"}},
                               {{"trial", "00001"}, {"iteration", 2}, {"decision", "PAUSE"}}}}}};
    experiment.stop.training_iteration = 5;
    ControllerHarness harness(experiment, falling_loss());
    CHECK_FALSE(harness.run());
    for (const std::string id : {"00000", "00001"}) CHECK(harness.status(id) == "TERMINATED");
    int paused_states = 0;
    for (const std::string &bytes : harness.storage().states) {
        const ExperimentState state = StateStore::decode(bytes);
        for (const TrialState &trial : state.trials) {
            if (trial.status != "PAUSED") continue;
            ++paused_states;
            INFO("state " << state.sequence << ", trial " << trial.id);
            REQUIRE_FALSE(trial.checkpoints.empty());
            CHECK(trial.checkpoints.back().iteration == trial.iteration);
        }
    }
    CHECK(paused_states > 0); // the states did see the trials paused
}
