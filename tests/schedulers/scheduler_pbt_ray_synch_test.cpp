// The PBT scheduler replays Ray Tune's synchronous tests in
// python/ray/tune/tests/test_trial_scheduler_pbt.py (testBurnInPeriod of
// PopulationBasedTrainingResumeTest, and PopulationBasedTrainingSynchTest), restated as events in
// and decisions and actions out; each test says what differs. See scheduler_pbt_ray_test.cpp
// for PopulationBasedTestingSuite.
#include <catch2/catch.hpp>

#include <algorithm>
#include <deque>

#include "scheduler_pbt_fixture.hpp"

using namespace tune::test;
using tune::core::SchedulerAdapter;

namespace {

// The one exploit action now queued for trial_id.
SchedulerAction exploit_of(SchedulerAdapter &pbt, const std::string &trial_id) {
    const std::vector<SchedulerAction> found = exploits(pbt.take_actions());
    REQUIRE(found.size() == 1);
    REQUIRE(found[0].trial_id == trial_id);
    return found[0];
}

} // namespace

// From test_trial_scheduler_pbt.py (PopulationBasedTrainingResumeTest). Differs: Ray's
// mutation {"ignored": [1]} is sampled into the configs; here the configs hold it.
TEST_CASE("pbt ray: testBurnInPeriod") {
    SchedulerAdapter pbt = make_pbt({{"time_attr", "training_iteration"},
                                     {"perturbation_interval", 5},
                                     {"hyperparam_mutations", {{"ignored", {1}}}},
                                     {"burn_in_period", 50},
                                     {"log_config", true},
                                     {"synch", true}},
                                    "error", "min");
    for (int num = 1; num <= 4; ++num) start(pbt, std::to_string(num), {{"num", num}, {"ignored", 1}});
    const double errors[] = {50, 50, 10, 100};
    for (int iteration : {1, 30}) // without the burn-in, 30 would exploit
        for (int num = 1; num <= 4; ++num)
            CHECK(report(pbt, std::to_string(num), iteration, errors[num - 1], "error").action == "CONTINUE");
    CHECK(pbt.take_actions().empty());
    for (int num = 1; num <= 4; ++num) report(pbt, std::to_string(num), 50, errors[num - 1], "error");
    const SchedulerAction exploit = exploit_of(pbt, "4");
    CHECK(exploit.donor_id == "3");
    CHECK(exploit.config["num"] == 3); // the donor's config, explored
    // The trials do not hang after the burn-in period, nor when a trial ends unstarted.
    const std::vector<std::pair<std::string, std::string>> paused{
        {"1", "PAUSED"}, {"2", "PAUSED"}, {"3", "PAUSED"}, {"4", "PAUSED"}};
    CHECK(choose(pbt, paused).has_value());
    pbt.on_trial_add("5", R"({"num": 5, "ignored": 1})");
    pbt.on_trial_complete("5", std::nullopt);
    CHECK(choose(pbt, paused).has_value());
}

// From test_trial_scheduler_pbt.py (PopulationBasedTrainingSynchTest): three trials with
// a = 10, 20, 40 report mean_accuracy = iteration + a, two at a time (Ray's num_cpus=2), and
// stop at iteration 3. In synch, every lower trial clones the best one before it moves on, so
// all end at 3 + 40. Differs: Ray runs real trials; here a small host loop plays them,
// applying each exploit (the trial takes the new config's a and the donor's iteration), and
// Ray's mutation {"c": lambda: 1} is {"qrandint": [1, 1]}. testAsynchFail is not replayed: it
// depends on the trials' sleeps racing each other.
TEST_CASE("pbt ray: testSynchPass and testSynchPassLast") {
    const std::pair<std::vector<double>, double> cases[] = {{{10, 20, 40}, 43}, {{30, 20, 10}, 33}};
    for (const auto &[params, expected] : cases) {
        INFO("a = " << Json(params).dump());
        SchedulerAdapter pbt = make_pbt({{"time_attr", "training_iteration"},
                                         {"perturbation_interval", 1},
                                         {"log_config", true},
                                         {"hyperparam_mutations", {{"c", {{"qrandint", {1, 1}}}}}},
                                         {"synch", true}},
                                        "mean_accuracy", "max");
        struct SimTrial {
            std::string id;
            double a;
            int iteration;
            std::string status;
        };
        std::vector<SimTrial> trials;
        for (std::size_t i = 0; i < params.size(); ++i) {
            trials.push_back({std::to_string(i), params[i], 0, "PENDING"});
            pbt.on_trial_add(trials.back().id, Json{{"a", params[i]}, {"c", 1}}.dump());
        }
        auto find = [&](const std::string &id) -> SimTrial & {
            return *std::find_if(trials.begin(), trials.end(), [&](const SimTrial &t) { return t.id == id; });
        };
        std::deque<std::string> running;
        auto apply_actions = [&] {
            for (const SchedulerAction &action : exploits(pbt.take_actions())) {
                SimTrial &trial = find(action.trial_id);
                trial.a = action.config["a"].get<double>();
                trial.iteration = find(action.donor_id).iteration; // the donor's latest checkpoint
                trial.status = "PAUSED";
                running.erase(std::remove(running.begin(), running.end(), trial.id), running.end());
            }
        };
        auto fill = [&] {
            while (running.size() < 2) {
                std::vector<std::pair<std::string, std::string>> candidates;
                for (const SimTrial &t : trials)
                    if (t.status == "PENDING" || t.status == "PAUSED") candidates.push_back({t.id, t.status});
                const std::optional<std::string> chosen = choose(pbt, candidates);
                if (!chosen) return;
                find(*chosen).status = "RUNNING";
                running.push_back(*chosen);
            }
        };
        std::vector<double> finals;
        fill();
        for (int steps = 0; !running.empty() && steps < 100; ++steps) {
            SimTrial &trial = find(running.front());
            running.pop_front();
            ++trial.iteration;
            const Json result{{"training_iteration", trial.iteration}, {"mean_accuracy", trial.iteration + trial.a}};
            if (trial.iteration >= 3) { // Ray's stopper: the scheduler sees on_trial_complete only
                finals.push_back(trial.iteration + trial.a);
                trial.status = "TERMINATED";
                pbt.on_trial_complete(trial.id, result.dump());
            } else if (send_result(pbt, trial.id, result).action == "PAUSE") {
                trial.status = "PAUSED";
            } else {
                running.push_back(trial.id);
            }
            apply_actions();
            fill();
        }
        CHECK(finals == std::vector<double>(params.size(), expected));
    }
}
