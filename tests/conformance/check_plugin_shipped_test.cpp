// `tune check-plugin LIB` passes every shipped plugin with no other argument: each publishes
// an example config (ABI 1.6), the checks run with it, each passes, exit status 0. The
// CIFAR-10 trainer's own test is tests/cifar10_trainer/cifar10_check_plugin_test.cpp.
#include <catch2/catch.hpp>

#include "conformance/check_plugin_support.hpp"

using Catch::Matchers::Contains;
using namespace tune::test;

namespace {

struct ShippedLibrary {
    const char *file;
    const char *plugin_id;
    const std::vector<std::string> &kind_checks;
};

// Every check of the kind ran with the plugin's example config and passed, and no other: the
// summary line counts them.
CheckRun expect_passes_out_of_the_box(const ShippedLibrary &library) {
    const CheckRun run = check_plugin({shipped(library.file)});
    expect_all_pass(run, library.kind_checks);
    INFO(run.command.out);
    CHECK_THAT(run.command.out, Contains(std::string("[") + library.plugin_id +
                                         "] config from its example config (--config to use another)"));
    CHECK(run.passed.size() == common_checks().size() + library.kind_checks.size());
    CHECK_THAT(run.command.out, Contains(std::to_string(run.passed.size()) + " checks: " +
                                         std::to_string(run.passed.size()) + " passed, 0 failed"));
    return run;
}

} // namespace

TEST_CASE("check-plugin: every shipped trainable passes with its example config alone", "[conformance]") {
    const ShippedLibrary trainables[] = {
        {"tune_sample_curve.so", "org.tune.sample.curve", trainable_checks()},
        {"tune_sample_noisy_quadratic.so", "org.tune.sample.noisy_quadratic", trainable_checks()},
        {"tune_sample_synthetic.so", "org.tune.sample.synthetic", trainable_checks()},
        {"tune_sample_faulty.so", "org.tune.sample.faulty", trainable_checks()},
        {"tune_sample_c_quadratic.so", "org.tune.sample.c_quadratic", trainable_checks()},
        {"tune_command_trainable.so", "org.tune.command", trainable_checks()},
    };
    for (const auto &library : trainables) {
        INFO(library.file);
        expect_passes_out_of_the_box(library);
    }
}

TEST_CASE("check-plugin: every shipped searcher passes with its example settings alone", "[conformance]") {
    const ShippedLibrary searchers[] = {
        {"tune_random_searcher.so", "org.tune.searcher.random", searcher_checks()},
        {"tune_grid_searcher.so", "org.tune.searcher.grid", searcher_checks()},
        {"tune_tpe_searcher.so", "org.tune.searcher.tpe", searcher_checks()},
    };
    for (const auto &library : searchers) {
        INFO(library.file);
        expect_passes_out_of_the_box(library);
    }
}

TEST_CASE("check-plugin: every shipped scheduler passes with its example settings alone", "[conformance]") {
    const ShippedLibrary schedulers[] = {
        {"tune_fifo_scheduler.so", "org.tune.scheduler.fifo", scheduler_checks()},
        {"tune_asha_scheduler.so", "org.tune.scheduler.asha", scheduler_checks()},
        {"tune_hyperband_scheduler.so", "org.tune.scheduler.hyperband", scheduler_checks()},
        {"tune_median_stopping_scheduler.so", "org.tune.scheduler.median_stopping", scheduler_checks()},
        {"tune_pbt_scheduler.so", "org.tune.scheduler.pbt", scheduler_checks()},
    };
    for (const auto &library : schedulers) {
        INFO(library.file);
        const CheckRun run = expect_passes_out_of_the_box(library);
        // The examples make the schedulers act, not only answer CONTINUE: the checks saw real
        // decisions (FIFO has none to make).
        if (std::string(library.file) == "tune_asha_scheduler.so")
            CHECK_THAT(run.passed.at("scheduler.decisions"), !Contains(" 0 stop"));
        if (std::string(library.file) == "tune_pbt_scheduler.so")
            CHECK_THAT(run.passed.at("scheduler.decisions"), !Contains(" 0 pause"));
    }
}

TEST_CASE("check-plugin: --config replaces the example config", "[conformance]") {
    const CheckRun run = check_plugin(
        {shipped("tune_sample_curve.so"), "--config", R"({"x": 0.7, "rate": 0.5, "noise": 0.05})", "--metric", "loss"});
    expect_all_pass(run, trainable_checks());
    CHECK_THAT(run.command.out,
               Contains(R"([org.tune.sample.curve] config from --config: {"noise":0.05,"rate":0.5,"x":0.7})"));
}
