// The median stopping scheduler's save/restore: a scheduler restored mid-run decides exactly as
// the original would (recorded results, NaN among them, which trials wait, the rule's pauses
// and yields); bad or foreign state is refused and changes nothing.
#include <catch2/catch.hpp>

#include "scheduler_median_stopping_fixture.hpp"

using namespace tune::test;
using tune::core::SchedulerAdapter;

namespace {

const Json options{{"time_attr", "training_iteration"},
                   {"grace_period", 2},
                   {"min_samples_required", 2},
                   {"min_time_slice", 1},
                   {"hard_stop", false}};

using Candidates = std::vector<std::pair<std::string, std::string>>;

// The first half: five trials, two running at a time as a host would run them, a NaN loss
// among them. t0 and t1 yield, t2 is paused by the rule, t3 fails, t4 completes.
void first_half(SchedulerAdapter &rule) {
    for (auto id : {"t0", "t1", "t2", "t3", "t4"}) rule.on_trial_add(id, "{}");
    REQUIRE(choose(rule, {{"t0", "PENDING"}, {"t1", "PENDING"}, {"t2", "PENDING"}, {"t3", "PENDING"},
                          {"t4", "PENDING"}}) == "t0");
    REQUIRE(choose(rule, {{"t1", "PENDING"}, {"t2", "PENDING"}, {"t3", "PENDING"}, {"t4", "PENDING"}}) == "t1");
    report(rule, "t0", 1, 1.0);
    report(rule, "t1", 1, nullptr); // NaN: t1's best for good, but before the grace period
    REQUIRE(report(rule, "t0", 2, 0.5).action == "PAUSE"); // too few to compare: yields
    REQUIRE(choose(rule, {{"t0", "PAUSED"}, {"t2", "PENDING"}, {"t3", "PENDING"}, {"t4", "PENDING"}}) == "t2");
    REQUIRE(report(rule, "t1", 2, 0.4).action == "PAUSE"); // one other, two required: yields
    REQUIRE(choose(rule, {{"t0", "PAUSED"}, {"t1", "PAUSED"}, {"t3", "PENDING"}, {"t4", "PENDING"}}) == "t3");
    report(rule, "t2", 1, 2.0);
    REQUIRE(report(rule, "t2", 2, 3.0).action == "PAUSE"); // median 0.45: paused by the rule
    REQUIRE(choose(rule, {{"t0", "PAUSED"}, {"t1", "PAUSED"}, {"t2", "PAUSED"}, {"t4", "PENDING"}}) == "t4");
    report(rule, "t3", 1, 1.5);
    rule.on_trial_error("t3");
    report(rule, "t4", 1, 0.3);
    REQUIRE(choose(rule, {{"t0", "PAUSED"}, {"t1", "PAUSED"}, {"t2", "PAUSED"}}) == "t0");
    REQUIRE(report(rule, "t0", 3, 1.0 / 3).action == "CONTINUE"); // yielded at 2: within min_time_slice
    REQUIRE(report(rule, "t4", 2, 0.25).action == "CONTINUE");    // median 0.5
    rule.on_trial_complete("t4", Json{{"training_iteration", 2}, {"loss", 0.25}}.dump());
}

// Everything a scheduler answers in the second half, as text for comparison.
std::vector<std::string> second_half(SchedulerAdapter &rule) {
    std::vector<std::string> answers;
    auto note = [&](const Outcome &outcome) { answers.push_back(outcome.action + " " + outcome.detail.dump()); };
    auto chose = [&](const Candidates &candidates) { answers.push_back(choose(rule, candidates).value_or("(none)")); };
    note(report(rule, "t0", 4, 0.25)); // yields: 4 - 2 > 1
    chose({{"t0", "PAUSED"}, {"t1", "PAUSED"}, {"t2", "PAUSED"}});
    note(report(rule, "t0", 5, 0.2));
    answers.push_back(std::to_string(rule.next_decision_point("t0", 5)));
    rule.on_trial_add("t5", "{}");
    chose({{"t1", "PAUSED"}, {"t2", "PAUSED"}, {"t5", "PENDING"}});
    note(report(rule, "t5", 1, 0.9));
    note(report(rule, "t5", 2, 0.9)); // paused by the rule
    chose({{"t1", "PAUSED"}, {"t2", "PAUSED"}, {"t5", "PAUSED"}});
    note(report(rule, "t1", 3, 0.3));
    note(report(rule, "t1", 4, 0.2)); // yields
    rule.on_trial_complete("t0", Json{{"training_iteration", 6}, {"loss", 0.15}}.dump());
    chose({{"t2", "PAUSED"}, {"t5", "PAUSED"}});
    note(report(rule, "t2", 3, 3.0)); // runs on unjudged
    answers.push_back(std::to_string(rule.next_decision_point("t2", 3)));
    answers.push_back(rule.describe_state());
    answers.push_back(rule.save());
    return answers;
}

} // namespace

TEST_CASE("median stopping state: a restored scheduler decides exactly as the original") {
    auto original = make_median(options);
    first_half(original);
    const std::string saved = original.save();
    CHECK_THAT(saved, Catch::Contains("\"nan\""));  // a NaN loss is spelled out
    CHECK_THAT(saved, Catch::Contains("\"-inf\"")); // a trial that never yielded

    auto restored = make_median(options);
    restored.restore(saved);
    CHECK(restored.save() == saved);
    CHECK(restored.describe_state() == original.describe_state());
    const std::vector<std::string> expected = second_half(original);
    CHECK(second_half(restored) == expected);
    // The second half did pause, stop and yield, so the state it carried mattered.
    std::string all;
    for (const std::string &answer : expected) all += answer + "\n";
    CHECK_THAT(all, Catch::Contains("PAUSE {"));
    CHECK_THAT(all, Catch::Contains("yielding to waiting trials"));
    CHECK_THAT(all, Catch::Contains("judged before"));
}

TEST_CASE("median stopping state: bad or foreign state is refused and changes nothing") {
    auto rule = make_median(options);
    first_half(rule);
    const std::string before = rule.save();

    auto refused = [&](const std::string &state, const std::string &expected) {
        INFO(state);
        auto [status, message] = call_error([&] { rule.restore(state); });
        CHECK(status == TUNE_ERROR_STATE);
        CHECK_THAT(message, Catch::Contains(expected));
        CHECK(rule.save() == before);
    };
    refused("not json", "not JSON");
    refused(R"({"format":"org.tune.scheduler.fifo/1","trials":[],"results":0})", "not median_stopping state");
    refused(make_median({{"time_attr", "time_total_s"}}).save(), "time_attr");
    refused(make_median({{"time_attr", "training_iteration"}, {"metric", "accuracy"}}).save(), "metric");

    Json corrupt = Json::parse(before);
    corrupt["results"]["t0"][0][1] = "lots";
    refused(corrupt.dump(), "results of trial 't0'");
    corrupt = Json::parse(before);
    corrupt["results"]["t0"] = Json::array();
    refused(corrupt.dump(), "results of trial 't0'");
    corrupt = Json::parse(before);
    corrupt["trials"]["t3"]["waiting"] = "yes";
    refused(corrupt.dump(), "trial 't3'");
    corrupt = Json::parse(before);
    corrupt["trials"]["t3"]["last_pause"] = "soon";
    refused(corrupt.dump(), "last_pause");
    corrupt = Json::parse(before);
    corrupt["stopped"] = -1;
    refused(corrupt.dump(), "'stopped'");
    corrupt = Json::parse(before);
    corrupt["last_judgement"] = "t0";
    refused(corrupt.dump(), "last_judgement");
}

TEST_CASE("median stopping state: calls in the wrong order are state errors") {
    SECTION("before setup") {
        auto rule = load_median();
        auto [status, message] = call_error([&] { rule.on_trial_add("a", "{}"); });
        CHECK(status == TUNE_ERROR_STATE);
        CHECK_THAT(message, Catch::Contains("setup"));
    }
    SECTION("a result of a trial never added or already ended, and a trial added twice") {
        auto rule = make_median(Json::object());
        auto [unknown, unknown_message] = call_error([&] { report(rule, "ghost", 1, 0.5); });
        CHECK(unknown == TUNE_ERROR_STATE);
        CHECK_THAT(unknown_message, Catch::Contains("'ghost'"));
        rule.on_trial_add("a", "{}");
        auto [twice, twice_message] = call_error([&] { rule.on_trial_add("a", "{}"); });
        CHECK(twice == TUNE_ERROR_STATE);
        CHECK_THAT(twice_message, Catch::Contains("already added"));
        rule.on_trial_complete("a", std::nullopt);
        auto [ended, ended_message] = call_error([&] { report(rule, "a", 1, 0.5); });
        CHECK(ended == TUNE_ERROR_STATE);
        CHECK_THAT(ended_message, Catch::Contains("'a'"));
    }
}
