// `tune check-plugin` passes every shipped plugin: each check runs and passes, exit status 0.
#include <catch2/catch.hpp>

#include "conformance/check_plugin_support.hpp"

using Catch::Matchers::Contains;
using namespace tune::test;

namespace {

// Every check of the kind ran and passed, and no other: the summary line counts them.
void expect_exactly_all_pass(const std::vector<std::string> &args, const std::vector<std::string> &kind_checks) {
    const CheckRun run = check_plugin(args);
    expect_all_pass(run, kind_checks);
    INFO(run.command.out);
    CHECK(run.passed.size() == common_checks().size() + kind_checks.size());
    CHECK_THAT(run.command.out, Contains(std::to_string(run.passed.size()) + " checks: " +
                                         std::to_string(run.passed.size()) + " passed, 0 failed"));
}

} // namespace

TEST_CASE("check-plugin: the sample curve trainable passes", "[conformance]") {
    expect_exactly_all_pass(
        {shipped("tune_sample_curve.so"), "--config", R"({"x": 0.2, "rate": 0.5, "noise": 0.05})", "--metric", "loss"},
        trainable_checks());
}

TEST_CASE("check-plugin: the plain-C quadratic trainable passes", "[conformance]") {
    expect_exactly_all_pass({shipped("tune_sample_c_quadratic.so"), "--config", R"({"x": 2.5})"}, trainable_checks());
}

TEST_CASE("check-plugin: the random searcher passes with the default settings", "[conformance]") {
    expect_exactly_all_pass({shipped("tune_random_searcher.so")}, searcher_checks());
}

TEST_CASE("check-plugin: the grid searcher passes with a space of its own", "[conformance]") {
    expect_exactly_all_pass({shipped("tune_grid_searcher.so"), "--config",
                             R"({"metric": "acc", "mode": "max", "seed": 3, "num_samples": 2,
                                 "space": {"lr": {"grid_search": [0.1, 0.01]}, "units": {"choice": [8, 16]},
                                           "dropout": {"uniform": [0, 0.5]}}})"},
                            searcher_checks());
}

TEST_CASE("check-plugin: the FIFO scheduler passes", "[conformance]") {
    expect_exactly_all_pass({shipped("tune_fifo_scheduler.so")}, scheduler_checks());
}

TEST_CASE("check-plugin: the ASHA scheduler passes, stopping trials on the synthetic streams", "[conformance]") {
    CheckRun run = check_plugin({shipped("tune_asha_scheduler.so"), "--config",
                                 R"({"metric": "loss", "mode": "min", "seed": 1,
                                     "options": {"max_t": 8, "grace_period": 1, "reduction_factor": 2}})"});
    INFO(run.command.out << run.command.err);
    CHECK(run.failed.empty());
    CHECK(run.command.exit_code == 0);
    REQUIRE(run.passed.count("scheduler.decisions") == 1);
    // The streams are built so that ASHA has trials to stop: the check saw real decisions.
    CHECK_THAT(run.passed["scheduler.decisions"], !Contains(" 0 stop"));
    CHECK(run.passed.count("scheduler.save_restore") == 1);
}
