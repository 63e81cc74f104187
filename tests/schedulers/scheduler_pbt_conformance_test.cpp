// `tune check-plugin` passes the PBT scheduler. hyperparam_mutations is required, so every run
// passes a --config; the checks' trials have the config {"x": i} (i = 0..7) and report
// training_iteration, time_total_s (1.5 per iteration) and the metric. With Ray's defaults
// (time_total_s, perturbation_interval 60) nothing is perturbed in 12 iterations; with
// training_iteration and an interval of 2 trials are checkpointed, paused and exploited, in
// both variants.
#include <catch2/catch.hpp>

#include "conformance/check_plugin_support.hpp"

using Catch::Matchers::Contains;
using namespace tune::test;

namespace {

CheckRun check_pbt(const std::string &config) {
    return check_plugin({shipped("tune_pbt_scheduler.so"), "--config", config});
}

} // namespace

TEST_CASE("pbt conformance: check-plugin passes with Ray's defaults") {
    expect_all_pass(check_pbt(R"({"metric": "loss", "mode": "min", "seed": 7,
                                  "options": {"hyperparam_mutations": {"x": [0, 1, 2, 3, 4, 5, 6, 7]}}})"),
                    scheduler_checks());
}

TEST_CASE("pbt conformance: check-plugin passes while trials are perturbed both asynchronously and in synch") {
    for (const char *synch : {"false", "true"}) {
        INFO("synch " << synch);
        const CheckRun run = check_pbt(std::string(R"({"metric": "loss", "mode": "min", "seed": 7,
            "options": {"time_attr": "training_iteration", "perturbation_interval": 2, "synch": )") +
                                       synch + R"(, "hyperparam_mutations": {"x": {"uniform": [0, 10]}}}})");
        expect_all_pass(run, scheduler_checks());
        REQUIRE(run.passed.count("scheduler.decisions") == 1);
        CHECK_THAT(run.passed.at("scheduler.decisions"), !Contains(" 0 pause"));
    }
}
