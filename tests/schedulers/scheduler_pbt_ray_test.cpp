// The PBT scheduler replays Ray Tune's own tests of PopulationBasedTraining
// (python/ray/tune/tests/test_trial_scheduler.py, PopulationBasedTestingSuite), restated as
// events in and decisions and actions out. Each test names the Ray test and says what differs.
//
// Ray's basicSetup: 5 trials "0".."4", time_attr training_iteration, metric
// episode_reward_mean (max), perturbation_interval 10, quantile_fraction 0.25, config
// {float_factor 2.0, const_factor 3, int_factor 10, id_factor i}, mutations {float_factor:
// lambda: 100.0, int_factor: lambda: 10, id_factor: [100]}; every trial runs (its mock runner
// has no waiting trial), and each reports result(10, 50 i) once. Everywhere:
// - Ray's lambdas are search-space domains here; where a test needs Ray's exact resampled
//   value, a domain that can only produce it ({"quniform": [50, 149, 100]} is always 100.0).
// - Where Ray pauses the exploited trial and answers NOOP, tune answers CONTINUE with an
//   exploit action; Ray's trial.restored_checkpoint is the action's donor.
// - Ray's reset_stats() is a baseline of describe_state's counters.
#include <catch2/catch.hpp>

#include <set>

#include "scheduler_pbt_fixture.hpp"

using namespace tune::test;
using tune::core::SchedulerAdapter;

namespace {

const char *const reward = "episode_reward_mean";

// float_factor and int_factor perturbed within wide bounds.
const Json wide_mutations{{"float_factor", {{"uniform", {0.0, 200.0}}}},
                          {"int_factor", {{"randint", {0, 100}}}},
                          {"id_factor", {100}}};
// Domains that resample exactly Ray's lambda: 100.0 and lambda: 10.
const Json exact_mutations{{"float_factor", {{"quniform", {50, 149, 100}}}},
                           {"int_factor", {{"qrandint", {10, 10}}}},
                           {"id_factor", {100}}};

struct RaySetup {
    int num_trials = 5;
    double resample = 0.0;
    double interval = 10;
    bool log_config = false;
    bool require_attrs = true;
    Json hyperparams;                // null: Ray's default per trial
    Json mutations = wide_mutations;
    bool step_once = true;
    bool synch = false;
};

struct RayPbt {
    SchedulerAdapter pbt;
    int checkpoints = 0;   // describe_state's counts after the setup (Ray's reset_stats)
    int perturbations = 0;

    int new_checkpoints() { return describe(pbt)["num_checkpoints"].get<int>() - checkpoints; }
    int new_perturbations() { return describe(pbt)["num_perturbations"].get<int>() - perturbations; }
    // Ray's last_scores(trials): each live trial's score, null for none.
    Json last_scores() {
        const Json population = describe(pbt)["population"];
        Json scores = Json::array();
        for (const auto &item : population.items()) scores.push_back(item.value()["score"]);
        return scores;
    }
    Outcome result(int trial, double t, double rew) { return send_result(pbt, std::to_string(trial), pbt_result(t, rew)); }
};

RayPbt setup_from(const RaySetup &setup) {
    Json options{{"time_attr", "training_iteration"},
                 {"perturbation_interval", setup.interval},
                 {"resample_probability", setup.resample},
                 {"quantile_fraction", 0.25},
                 {"hyperparam_mutations", setup.mutations},
                 {"log_config", setup.log_config},
                 {"synch", setup.synch},
                 {"require_attrs", setup.require_attrs}};
    RayPbt ray{make_pbt(options, reward, "max"), 0, 0};
    for (int i = 0; i < setup.num_trials; ++i) {
        Json config = setup.hyperparams.is_null()
                          ? Json{{"float_factor", 2.0}, {"const_factor", 3}, {"int_factor", 10}, {"id_factor", i}}
                          : setup.hyperparams;
        start(ray.pbt, std::to_string(i), config);
    }
    if (setup.step_once)
        for (int i = 0; i < setup.num_trials; ++i)
            REQUIRE(ray.result(i, 10, 50 * i).action == (setup.synch ? "PAUSE" : "CONTINUE"));
    ray.pbt.take_actions();
    ray.checkpoints = describe(ray.pbt)["num_checkpoints"].get<int>();
    ray.perturbations = describe(ray.pbt)["num_perturbations"].get<int>();
    return ray;
}

// The one exploit action now queued for trial.
SchedulerAction exploit_of(SchedulerAdapter &pbt, int trial) {
    const std::vector<SchedulerAction> found = exploits(pbt.take_actions());
    REQUIRE(found.size() == 1);
    REQUIRE(found[0].trial_id == std::to_string(trial));
    return found[0];
}

bool is_one_of(const std::string &value, std::set<std::string> allowed) { return allowed.count(value) == 1; }

RayPbt basic_setup() { return setup_from(RaySetup()); }

// Ray's basicSetup with some of its arguments changed by adjust.
template <class Adjust> RayPbt basic_setup(Adjust &&adjust) {
    RaySetup setup;
    adjust(setup);
    return setup_from(setup);
}

} // namespace

// Ray checks that _quantiles sort the scores and checkpoint both past the interval and upper.
TEST_CASE("pbt ray: testCheckpointsMostPromisingTrials") {
    RayPbt ray = basic_setup();
    CHECK(ray.last_scores() == Json{0, 50, 100, 150, 200});
    CHECK(ray.result(0, 15, 200).action == "CONTINUE"); // interval not reached
    CHECK(ray.last_scores() == Json{0, 50, 100, 150, 200});
    CHECK(ray.new_checkpoints() == 0);

    CHECK(ray.result(0, 20, 200).action == "CONTINUE"); // tied with 4 at 200: both upper
    CHECK(ray.last_scores() == Json{200, 50, 100, 150, 200});
    CHECK(ray.new_checkpoints() == 1);
    CHECK(take(ray.pbt) == std::vector<std::string>{"checkpoint 0"});
    CHECK(ray.result(1, 30, 201).action == "CONTINUE");
    CHECK(ray.last_scores() == Json{200, 201, 100, 150, 200});
    CHECK(ray.new_checkpoints() == 2);

    // Not in the upper quantile any more.
    CHECK(ray.result(4, 30, 199).action == "CONTINUE");
    CHECK(ray.new_checkpoints() == 2);
    CHECK(ray.new_perturbations() == 0);
}

// Differs: Ray's mock leaves trials RUNNING after a PAUSE; here they are PAUSED until they
// report again (which makes no difference to the synchronous variant).
TEST_CASE("pbt ray: testCheckpointMostPromisingTrialsSynch") {
    RayPbt ray = basic_setup([&](RaySetup &s) { s.synch = true; });
    CHECK(ray.last_scores() == Json{0, 50, 100, 150, 200});
    CHECK(ray.result(0, 15, 200).action == "CONTINUE");
    CHECK(ray.last_scores() == Json{0, 50, 100, 150, 200});
    CHECK(ray.new_checkpoints() == 0);
    for (int i = 0; i < 4; ++i) CHECK(ray.result(i, 20, 200 + i).action == "PAUSE");
    CHECK(ray.last_scores() == Json{200, 201, 202, 203, 200});
    CHECK(ray.new_checkpoints() == 0);
    CHECK(ray.result(4, 20, 204).action == "PAUSE");
    CHECK(ray.new_checkpoints() == 2);
    const std::vector<std::string> actions = take(ray.pbt);
    REQUIRE(actions.size() == 4);
    CHECK(actions[0] == "checkpoint 3");
    CHECK(actions[1] == "checkpoint 4");
    CHECK(is_one_of(actions[2], {"exploit 0 from 3", "exploit 0 from 4"}));
    CHECK(is_one_of(actions[3], {"exploit 1 from 3", "exploit 1 from 4"}));
}

// Differs: Ray answers PAUSE (the exploited trial is paused, NOOP); here CONTINUE with an
// exploit action. Ray's "@perturbed" experiment tag is the host's lineage record.
TEST_CASE("pbt ray: testPerturbsLowPerformingTrials") {
    RayPbt ray = basic_setup();
    CHECK(ray.result(0, 15, -100).action == "CONTINUE");
    CHECK(ray.last_scores() == Json{0, 50, 100, 150, 200});
    CHECK(ray.pbt.take_actions().empty());
    CHECK(ray.new_perturbations() == 0);

    Outcome outcome = ray.result(0, 20, -100);
    CHECK(outcome.action == "CONTINUE");
    CHECK(ray.last_scores() == Json{-100, 50, 100, 150, 200});
    CHECK(is_one_of(exploit_of(ray.pbt, 0).donor_id, {"3", "4"}));
    CHECK(ray.new_perturbations() == 1);

    outcome = ray.result(2, 20, 40);
    CHECK(outcome.action == "CONTINUE");
    CHECK(outcome.detail["reason"] == "lower quantile: exploit");
    CHECK(ray.last_scores() == Json{-100, 50, 40, 150, 200});
    CHECK(is_one_of(exploit_of(ray.pbt, 2).donor_id, {"3", "4"}));
    CHECK(ray.new_perturbations() == 2);
}

TEST_CASE("pbt ray: testPerturbsLowPerformingTrialsSynch") {
    RayPbt ray = basic_setup([&](RaySetup &s) { s.synch = true; });
    CHECK(ray.result(4, 15, -100).action == "CONTINUE");
    CHECK(ray.last_scores() == Json{0, 50, 100, 150, 200});
    CHECK(ray.new_perturbations() == 0);
    // Nothing is perturbed until all trials are synchronized.
    CHECK(ray.result(4, 20, -100).action == "PAUSE");
    CHECK(ray.last_scores() == Json{0, 50, 100, 150, -100});
    CHECK(ray.pbt.take_actions().empty());
    for (int i = 0; i < 4; ++i) CHECK(ray.result(i, 20, -10 * i).action == "PAUSE");
    CHECK(ray.last_scores() == Json{0, -10, -20, -30, -100});
    const std::vector<SchedulerAction> exploited = exploits(ray.pbt.take_actions());
    REQUIRE(exploited.size() == 2);
    CHECK(exploited[0].trial_id == "4"); // the lower quantile, worst first
    CHECK(exploited[1].trial_id == "3");
    for (const SchedulerAction &action : exploited) CHECK(is_one_of(action.donor_id, {"0", "1"}));
    CHECK(ray.new_perturbations() == 2);
}

TEST_CASE("pbt ray: testPerturbWithoutResample") {
    RayPbt ray = basic_setup([&](RaySetup &s) { s.resample = 0.0; });
    CHECK(ray.result(0, 20, -100).action == "CONTINUE");
    const SchedulerAction action = exploit_of(ray.pbt, 0);
    CHECK(is_one_of(action.donor_id, {"3", "4"}));
    CHECK(action.config["id_factor"] == 100); // 3 or 4 is not in [100]: resampled
    CHECK(action.config["float_factor"].is_number_float());
    const double factor = action.config["float_factor"].get<double>();
    CHECK((factor == Approx(2.4) || factor == Approx(1.6)));
    CHECK(action.config["int_factor"].is_number_integer());
    CHECK(is_one_of(action.config["int_factor"].dump(), {"8", "12"}));
    CHECK(action.config["const_factor"] == 3);
}

TEST_CASE("pbt ray: testPerturbWithResample") {
    RayPbt ray = basic_setup([&](RaySetup &s) { s.resample = 1.0; s.mutations = exact_mutations; });
    CHECK(ray.result(0, 20, -100).action == "CONTINUE");
    CHECK(member(ray.pbt, "0")["status"] == "PAUSED");
    const SchedulerAction action = exploit_of(ray.pbt, 0);
    CHECK(is_one_of(action.donor_id, {"3", "4"}));
    CHECK(action.config["id_factor"] == 100);
    CHECK(action.config["float_factor"].dump() == "100.0");
    CHECK(action.config["int_factor"].dump() == "10");
    CHECK(action.config["const_factor"] == 3);
}

// Differs: Ray's id_factor tune.choice([100]) is multiplied as a continuous value when not
// resampled; here a choice is a list. With resample_probability 1 both resample 100.
TEST_CASE("pbt ray: testTuneSamplePrimitives") {
    Json mutations = exact_mutations;
    mutations["id_factor"] = {{"choice", {100}}};
    RayPbt ray = basic_setup([&](RaySetup &s) { s.resample = 1.0; s.mutations = mutations; });
    ray.result(0, 20, -100);
    const SchedulerAction action = exploit_of(ray.pbt, 0);
    CHECK(action.config["id_factor"] == 100);
    CHECK(action.config["float_factor"].dump() == "100.0");
    CHECK(action.config["int_factor"].dump() == "10");
}

// Differs: Ray raises ValueError for tune.sample_from; here setup refuses sample_from.
TEST_CASE("pbt ray: testTuneSampleFromError") {
    SchedulerAdapter pbt = load_pbt();
    auto [status, message] = call_error([&] {
        pbt.setup(pbt_settings({{"hyperparam_mutations", {{"float_factor", {{"sample_from", "100.0"}}}}}}));
    });
    CHECK(status == TUNE_ERROR_INVALID_CONFIG);
    CHECK_THAT(message, Catch::Contains("float_factor") && Catch::Contains("sample_from is not supported"));
}

// Differs: Ray calls _explore directly with random.seed(0); here each value is an exploit of
// the trial "donor", seeded by the settings. Ray's continuous lambda random.choice([10, 100])
// is uniform [0, 1000] when perturbed, and qrandint [0, 100, 100] (0 or 100) when resampled.
TEST_CASE("pbt ray: testPerturbationValues") {
    auto produces = [](const Json &mutations, const Json &config, double resample) {
        SchedulerAdapter pbt = explore_setup({{"hyperparam_mutations", mutations}, {"resample_probability", resample}},
                                             config, config);
        std::set<std::string> seen;
        for (const SchedulerAction &action : explore_samples(pbt, 100)) seen.insert(action.config["v"].dump());
        return seen;
    };
    using Seen = std::set<std::string>;
    const Json list{{"v", {3, 4, 8, 10}}};
    CHECK(produces(list, {{"v", 4}}, 0.0) == Seen{"3", "8"});
    CHECK(produces(list, {{"v", 3}}, 0.0) == Seen{"3", "4"});
    CHECK(produces(list, {{"v", 10}}, 0.0) == Seen{"8", "10"});
    CHECK(produces(list, {{"v", 7}}, 0.0) == Seen{"3", "4", "8", "10"});
    CHECK(produces(list, {{"v", 4}}, 1.0) == Seen{"3", "4", "8", "10"});

    const Json wide{{"v", {{"uniform", {0, 1000}}}}};
    CHECK(produces(wide, {{"v", 100}}, 0.0) == Seen{"80", "120"});
    CHECK(produces(wide, {{"v", 100.0}}, 0.0) == Seen{"80.0", "120.0"});
    CHECK(produces({{"v", {{"qrandint", {0, 100, 100}}}}}, {{"v", 100.0}}, 1.0) == Seen{"0", "100"});
}

TEST_CASE("pbt ray: testDictPerturbation") {
    RayPbt ray = basic_setup([](RaySetup &s) {
        s.resample = 1.0;
        s.hyperparams = {{"float_factor", 2.0}, {"nest", {{"nest_float", 3.0}}}, {"int_factor", 10}, {"const_factor", 3}};
        s.mutations = {{"float_factor", {{"quniform", {50, 149, 100}}}},
                       {"nest", {{"nest_float", {{"quniform", {51, 150, 101}}}}}},
                       {"int_factor", {{"qrandint", {10, 10}}}}};
    });
    ray.result(0, 20, -100);
    const SchedulerAction action = exploit_of(ray.pbt, 0);
    CHECK(is_one_of(action.donor_id, {"3", "4"}));
    CHECK(action.config["float_factor"].dump() == "100.0");
    CHECK(action.config["int_factor"].dump() == "10");
    CHECK(action.config["const_factor"] == 3);
    CHECK(action.config["nest"]["nest_float"].dump() == "101.0");
}

// Differs: Ray sets trials[0].status = PENDING by hand. A tune host says so through
// choose_trial_to_run's candidates: it offers 0 (PENDING) and a new trial 5, and runs 5.
TEST_CASE("pbt ray: testYieldsTimeToOtherTrials") {
    RayPbt ray = basic_setup();
    ray.pbt.on_trial_add("5", Json{{"float_factor", 2.0}, {"const_factor", 3}, {"int_factor", 10}, {"id_factor", 5}}.dump());
    REQUIRE(choose(ray.pbt, {{"0", "PENDING"}, {"5", "PENDING"}}) == "5");
    const Outcome outcome = ray.result(1, 20, 1000);
    CHECK(outcome.action == "PAUSE");
    CHECK(outcome.detail["waiting"] == 1);
    CHECK(ray.last_scores() == Json{0, 1000, 100, 150, 200, nullptr});
    CHECK(choose(ray.pbt, {{"0", "PENDING"}, {"1", "PAUSED"}}) == "0");
}

TEST_CASE("pbt ray: testSchedulesMostBehindTrialToRun") {
    RayPbt ray = basic_setup();
    ray.result(0, 800, 1000);
    ray.result(1, 700, 1001);
    ray.result(2, 600, 1002);
    ray.result(3, 500, 1003);
    ray.result(4, 700, 1004);
    CHECK(choose(ray.pbt, {}) == std::nullopt); // all run
    CHECK(choose(ray.pbt, {{"0", "PENDING"}, {"1", "PENDING"}, {"2", "PENDING"}, {"3", "PENDING"},
                           {"4", "PENDING"}}) == "3");
}

TEST_CASE("pbt ray: testSchedulesMostBehindTrialToRunSynch") {
    RayPbt ray = basic_setup([&](RaySetup &s) { s.synch = true; });
    CHECK(ray.result(0, 800, 1000).action == "PAUSE");
    CHECK(ray.result(1, 700, 1001).action == "PAUSE");
    CHECK(ray.result(2, 600, 1002).action == "PAUSE");
    CHECK(ray.result(3, 500, 1003).action == "PAUSE");
    CHECK(ray.result(4, 700, 1004).action == "PAUSE");
    // 0 and 1 cloned 3 or 4 and took its time (500 or 700); 3 is at 500.
    const std::optional<std::string> chosen =
        choose(ray.pbt, {{"0", "PAUSED"}, {"1", "PAUSED"}, {"2", "PAUSED"}, {"3", "PAUSED"}, {"4", "PAUSED"}});
    REQUIRE(chosen);
    CHECK(is_one_of(*chosen, {"0", "1", "3"}));
}

TEST_CASE("pbt ray: testPerturbationResetsLastPerturbTime") {
    RayPbt ray = basic_setup();
    ray.result(0, 10000, 1005);
    ray.result(1, 10000, 1004);
    ray.result(2, 600, 1003);
    CHECK(ray.new_perturbations() == 0);
    ray.result(3, 500, 1002);
    CHECK(ray.new_perturbations() == 1);
    // 3 took its donor's perturbation time, 10000: 600 is not past the interval.
    CHECK(member(ray.pbt, "3")["last_perturbation_time"] == 10000);
    CHECK(ray.result(3, 600, 100).detail["reason"] == "perturbation interval not reached");
    CHECK(ray.new_perturbations() == 1);
    ray.result(3, 11000, 100);
    CHECK(ray.new_perturbations() == 2);
}

TEST_CASE("pbt ray: testMetricError") {
    RayPbt ray = basic_setup();
    auto [status, message] = call_error([&] { send_result(ray.pbt, "0", {{reward, 4}}); });
    CHECK(status == TUNE_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(message, Catch::Contains("training_iteration"));
    std::tie(status, message) =
        call_error([&] { send_result(ray.pbt, "0", {{"random_metric", 10}, {"training_iteration", 20}}); });
    CHECK(status == TUNE_ERROR_INVALID_ARGUMENT);
    CHECK_THAT(message, Catch::Contains(reward));
}

// Differs: Ray logs a warning; here the decision's detail says what is missing.
TEST_CASE("pbt ray: testMetricLog") {
    RayPbt ray = basic_setup([&](RaySetup &s) { s.require_attrs = false; });
    CHECK(send_result(ray.pbt, "0", {{reward, 4}}).detail["reason"] == "time_attr missing");
    CHECK(send_result(ray.pbt, "0", {{"random_metric", 10}, {"training_iteration", 20}}).detail["reason"] ==
          "metric missing");
}

// Differs: Ray writes pbt_global.txt and pbt_policy_<id>.txt itself; here the exploit action
// says log_config and carries what those lines hold (donor, configs), for the host to write.
TEST_CASE("pbt ray: testLogConfig") {
    RayPbt ray = basic_setup([&](RaySetup &s) { s.log_config = true; });
    ray.result(0, 15, -100);
    ray.result(0, 20, -100);
    ray.result(2, 20, 40);
    const std::vector<SchedulerAction> exploited = exploits(ray.pbt.take_actions());
    REQUIRE(exploited.size() == 2);
    for (const SchedulerAction &action : exploited) {
        CHECK(action.log_config);
        CHECK(is_one_of(action.trial_id, {"0", "2"}));
        CHECK(is_one_of(action.donor_id, {"3", "4"}));
        for (const char *key : {"const_factor", "int_factor", "float_factor", "id_factor"})
            CHECK(action.config.contains(key));
        CHECK(action.config["float_factor"].is_number_float());
        CHECK(is_one_of(action.config["int_factor"].dump(), {"8", "12"}));
        CHECK(action.config["id_factor"] == 100);
        const Json old_params = detail_of(action)["old_params"];
        CHECK(old_params["float_factor"] == 2.0);
        CHECK(old_params["int_factor"] == 10);
        CHECK(is_one_of(old_params["id_factor"].dump(), {"3", "4"}));
    }
    RayPbt quiet = basic_setup();
    quiet.result(0, 20, -100);
    CHECK_FALSE(exploit_of(quiet.pbt, 0).log_config);
}

TEST_CASE("pbt ray: testLogConfigSynch") {
    RayPbt ray = basic_setup([&](RaySetup &s) { s.log_config = true; s.step_once = false; s.synch = true; });
    for (int i = 0; i < 5; ++i) ray.result(i, 10, i);
    const std::vector<SchedulerAction> exploited = exploits(ray.pbt.take_actions());
    REQUIRE(exploited.size() == 2);
    for (const SchedulerAction &action : exploited) {
        CHECK(action.log_config);
        CHECK(is_one_of(action.trial_id, {"0", "1"}));
        CHECK(is_one_of(action.donor_id, {"3", "4"}));
    }
}

// Differs: Ray calls the private _exploit(trial 1, trial 2); here trial 1 reports the worst
// score, and the lower quantile makes it exploit trial 2.
TEST_CASE("pbt ray: testFastPerturb") {
    RayPbt ray = basic_setup([&](RaySetup &s) { s.interval = 1; s.log_config = true; s.step_once = false; });
    ray.result(0, 1, 10);
    CHECK(ray.result(2, 1, 200).action == "CONTINUE");
    CHECK(ray.new_checkpoints() == 1);
    CHECK(take(ray.pbt) == std::vector<std::string>{"checkpoint 2"});
    ray.result(1, 1, 5);
    CHECK(take(ray.pbt) == std::vector<std::string>{"exploit 1 from 2"});
}

// Ray's test replays the configs each trial trained with through PopulationBasedTrainingReplay;
// its comments give who clones whom and the clock the clone continues from ("0 <-- 1,
// new_t=11"). Here those are checked: the exploit's donor and the trial's new last_train_time.
// A trial steps on from its donor's time after an exploit, as Ray's test moves it.
TEST_CASE("pbt ray: testReplay") {
    RayPbt ray = basic_setup([&](RaySetup &s) { s.num_trials = 4; s.interval = 5; s.log_config = true; s.step_once = false; });
    std::vector<double> step(4, 0.0);
    std::vector<std::string> chain;
    auto trial_step = [&](int k, int steps, double score) {
        const std::string id = std::to_string(k);
        if (member(ray.pbt, id)["status"] == "PAUSED") REQUIRE(choose(ray.pbt, {{id, "PAUSED"}}) == id);
        step[k] += steps;
        ray.result(k, step[k], score);
        for (const SchedulerAction &action : exploits(ray.pbt.take_actions())) {
            step[k] = member(ray.pbt, id)["last_train_time"].get<double>();
            chain.push_back(action.trial_id + " <-- " + action.donor_id + ", new_t=" +
                            std::to_string(static_cast<int>(step[k])));
        }
    };
    trial_step(0, 10, 0);
    trial_step(1, 11, 10);
    trial_step(2, 12, 0);
    trial_step(3, 13, 0);

    trial_step(0, 10, -10);
    trial_step(2, 8, -20);
    trial_step(3, 9, 0);
    trial_step(1, 7, 0);

    trial_step(1, 12, 0);
    trial_step(2, 13, 0);
    trial_step(3, 14, 10);
    trial_step(0, 11, 0);

    trial_step(0, 6, 20);
    trial_step(3, 9, -40);
    trial_step(2, 8, -50);
    trial_step(1, 7, 30);
    trial_step(2, 8, -60);

    for (int k = 0; k < 4; ++k) trial_step(k, 10, 0);
    CHECK(chain == std::vector<std::string>{"0 <-- 1, new_t=11", "2 <-- 1, new_t=11", "0 <-- 3, new_t=36",
                                            "3 <-- 0, new_t=42", "2 <-- 0, new_t=42", "2 <-- 1, new_t=37"});
}
