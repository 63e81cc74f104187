// When a trial ends, for every shipped scheduler (docs/schedulers.md): only on_trial_complete
// and on_trial_error end it, and a result after either is a state error; the scheduler's own
// STOP does not end it, and a result that arrives after a STOP is answered like any other.
// Each scheduler is set up with the example settings its descriptor publishes.
#include <catch2/catch.hpp>

#include "schedulers/scheduler_fixture.hpp"

using namespace tune::test;

namespace {

struct Shipped {
    const char *file;
    const char *id;
};

const Shipped kSchedulers[] = {{"tune_fifo_scheduler.so", "org.tune.scheduler.fifo"},
                               {"tune_asha_scheduler.so", "org.tune.scheduler.asha"},
                               {"tune_median_stopping_scheduler.so", "org.tune.scheduler.median_stopping"},
                               {"tune_hyperband_scheduler.so", "org.tune.scheduler.hyperband"},
                               {"tune_pbt_scheduler.so", "org.tune.scheduler.pbt"}};

// The scheduler, set up with its example settings, and four trials added.
tune::core::SchedulerAdapter with_four_trials(const Shipped &shipped) {
    auto library = tune::core::PluginLibrary::load(plugin_dir() / shipped.file);
    const auto *info = library->find(shipped.id);
    REQUIRE(info);
    REQUIRE_FALSE(info->example_config.empty());
    tune::core::SchedulerAdapter scheduler(library->create(shipped.id, tune::core::host_services()));
    scheduler.setup(info->example_config);
    for (const char *trial : {"a", "b", "c", "d"})
        scheduler.on_trial_add(trial, Json{{"x", 2.0}}.dump()); // the key PBT's example mutates
    return scheduler;
}

Json result(int iteration, double loss) {
    return {{"training_iteration", iteration}, {"time_total_s", 1.5 * iteration}, {"loss", loss}};
}

} // namespace

TEST_CASE("schedulers: a result after on_trial_complete or on_trial_error is a state error", "[schedulers]") {
    for (const auto &shipped : kSchedulers) {
        INFO(shipped.id);
        auto scheduler = with_four_trials(shipped);
        send_result(scheduler, "a", result(1, 0.5));
        scheduler.on_trial_complete("a", result(1, 0.5).dump());
        auto [completed, completed_message] = call_error([&] { send_result(scheduler, "a", result(2, 0.4)); });
        CHECK(completed == TUNE_ERROR_STATE);
        CHECK_THAT(completed_message, Catch::Contains("'a'"));
        scheduler.on_trial_error("b");
        CHECK(call_error([&] { send_result(scheduler, "b", result(1, 0.4)); }).first == TUNE_ERROR_STATE);
        CHECK(call_error([&] { send_result(scheduler, "never_added", result(1, 0.4)); }).first == TUNE_ERROR_STATE);
    }
}

TEST_CASE("schedulers: a result after the scheduler's own STOP is answered, not refused", "[schedulers]") {
    // ASHA (grace period 1, rf 2) and the median rule (grace 2, 2 samples) stop trial d, far
    // worse than the others; HyperBand stops the losers of its rungs.
    for (const auto &shipped : kSchedulers) {
        const std::string id = shipped.id;
        if (id == "org.tune.scheduler.fifo" || id == "org.tune.scheduler.pbt") continue; // they never STOP
        INFO(id);
        auto scheduler = with_four_trials(shipped);
        std::string stopped, answer;
        for (int iteration = 1; iteration <= 9 && stopped.empty(); ++iteration)
            for (const char *trial : {"a", "b", "c", "d"}) {
                const double loss = trial[0] == 'd' ? 10.0 : 1.0 / (iteration + (trial[0] - 'a'));
                if (report(scheduler, trial, iteration, loss).action == "STOP") {
                    stopped = trial;
                    answer = send_result(scheduler, trial, result(iteration + 1, 10.0)).action;
                    break;
                }
            }
        REQUIRE_FALSE(stopped.empty());
        CHECK((answer == "CONTINUE" || answer == "PAUSE" || answer == "STOP"));
        scheduler.on_trial_complete(stopped, result(2, 10.0).dump()); // and it still ends only here
        CHECK(call_error([&] { send_result(scheduler, stopped, result(3, 10.0)); }).first == TUNE_ERROR_STATE);
    }
}
