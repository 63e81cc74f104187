// `tune check-plugin` passes the HyperBand scheduler: with the default settings (max_t 81:
// nothing pauses on the checks' 12-iteration streams) and with options under which it pauses
// trials at rungs and stops them. The checks' simulated engine takes no actions: trials
// stopped while paused stay offered, and are resumed only to be stopped at their next result.
#include <catch2/catch.hpp>

#include "conformance/check_plugin_support.hpp"

using Catch::Matchers::Contains;
using namespace tune::test;

namespace {

CheckRun check_hyperband(const std::vector<std::string> &extra) {
    std::vector<std::string> args = {shipped("tune_hyperband_scheduler.so")};
    args.insert(args.end(), extra.begin(), extra.end());
    return check_plugin(args);
}

} // namespace

TEST_CASE("hyperband conformance: check-plugin passes with the default settings") {
    expect_all_pass(check_hyperband({}), scheduler_checks());
}

TEST_CASE("hyperband conformance: check-plugin passes while trials are paused at rungs and stopped") {
    for (const char *config : {R"({"metric": "loss", "mode": "min", "options": {"max_t": 9, "reduction_factor": 3}})",
                               R"({"metric": "loss", "mode": "max", "options": {"max_t": 4, "reduction_factor": 2}})",
                               R"({"metric": "loss", "mode": "min", "options": {"max_t": 8, "reduction_factor": 2,
                                   "stop_last_trials": false}})"}) {
        INFO(config);
        const CheckRun run = check_hyperband({"--config", config});
        expect_all_pass(run, scheduler_checks());
        REQUIRE(run.passed.count("scheduler.decisions") == 1);
        CHECK_THAT(run.passed.at("scheduler.decisions"), !Contains(" 0 pause"));
    }
    const CheckRun stops = check_hyperband(
        {"--config", R"({"metric": "loss", "mode": "min", "options": {"max_t": 9, "reduction_factor": 3}})"});
    REQUIRE(stops.passed.count("scheduler.decisions") == 1);
    CHECK_THAT(stops.passed.at("scheduler.decisions"), !Contains(" 0 stop"));
}
