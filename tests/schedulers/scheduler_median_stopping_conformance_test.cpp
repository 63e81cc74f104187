// `tune check-plugin` passes the median stopping scheduler: with the default settings (Ray's
// defaults judge nothing on the checks' short streams) and with options under which it
// stops, pauses and yields on them.
#include <catch2/catch.hpp>

#include "conformance/check_plugin_support.hpp"

using Catch::Matchers::Contains;
using namespace tune::test;

namespace {

CheckRun check_median(const std::vector<std::string> &extra) {
    std::vector<std::string> args = {shipped("tune_median_stopping_scheduler.so")};
    args.insert(args.end(), extra.begin(), extra.end());
    return check_plugin(args);
}

} // namespace

TEST_CASE("median stopping conformance: check-plugin passes with the default settings") {
    expect_all_pass(check_median({"--config", R"({"metric": "loss", "mode": "min", "options": {}})"}),
                    scheduler_checks());
}

TEST_CASE("median stopping conformance: check-plugin passes while trials are stopped and paused") {
    // min_time_slice 100: one yield per trial at most. The checks' streams run a trial paused at
    // its last iteration on past it, where yields between the last two trials would not end.
    const CheckRun run = check_median(
        {"--config", R"({"metric": "loss", "mode": "min", "options": {"time_attr": "training_iteration",
                        "grace_period": 2, "min_samples_required": 2, "min_time_slice": 100}})"});
    expect_all_pass(run, scheduler_checks());
    REQUIRE(run.passed.count("scheduler.decisions") == 1);
    CHECK_THAT(run.passed.at("scheduler.decisions"), !Contains(" 0 stop"));
    CHECK_THAT(run.passed.at("scheduler.decisions"), !Contains(" 0 pause"));

    const CheckRun soft = check_median(
        {"--config", R"({"metric": "loss", "mode": "min", "options": {"time_attr": "training_iteration",
                        "grace_period": 2, "min_samples_required": 2, "min_time_slice": 100, "hard_stop": false}})"});
    expect_all_pass(soft, scheduler_checks());
}
