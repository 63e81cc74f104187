// ASHA's save/restore: a restored scheduler makes exactly the decisions the original would,
// NaN rewards, the bracket RNG and promotions included; bad state is refused.
#include <catch2/catch.hpp>

#include "scheduler_fixture.hpp"

using namespace tune::test;
using tune::core::SchedulerAdapter;

namespace {

// Everything a scheduler answers to the second half of a run, as text for comparison.
std::vector<std::string> second_half(SchedulerAdapter &asha) {
    std::vector<std::string> answers;
    auto note = [&](const Outcome &outcome) { answers.push_back(outcome.action + " " + outcome.detail.dump()); };
    for (auto id : {"n0", "n1", "n2", "n3", "n4", "n5"}) asha.on_trial_add(id, "{}");
    note(report(asha, "t1", 2, 0.5));
    note(report(asha, "t2", 2, nullptr));
    note(report(asha, "t3", 4, 0.7));
    note(report(asha, "t5", 4, 0.2));
    for (auto id : {"n0", "n1", "n2", "n3", "n4", "n5"}) note(report(asha, id, 2, 0.45));
    note(report(asha, "n0", 4, 0.1));
    asha.on_trial_complete("t1", Json{{"training_iteration", 4}, {"loss", 0.3}}.dump());
    note(report(asha, "n1", 4, 0.35));
    answers.push_back(choose(asha, {{"t2", "PAUSED"}, {"t3", "PAUSED"}, {"t5", "PAUSED"}, {"n2", "PAUSED"},
                                    {"n3", "PAUSED"}, {"n4", "PAUSED"}, {"n5", "PAUSED"}})
                          .value_or("(none)"));
    answers.push_back(asha.describe_state());
    return answers;
}

// The first half: eight trials, NaN rewards among them, one failed and one completed.
void first_half(SchedulerAdapter &asha) {
    for (auto id : {"t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7"}) asha.on_trial_add(id, "{}");
    const Json losses[] = {0.9, 0.4, nullptr, 0.6, nullptr, 0.3, 1.2, 0.5};
    for (int i = 0; i < 8; ++i) report(asha, "t" + std::to_string(i), 1, losses[i]);
    report(asha, "t0", 2, 0.8);
    asha.on_trial_error("t6");
    asha.on_trial_complete("t7", Json{{"training_iteration", 1}, {"loss", 0.5}}.dump());
}

void check_restore_continues_identically(const Json &options) {
    auto original = make_asha(options);
    first_half(original);
    const std::string saved = original.save();
    CHECK_THAT(saved, Catch::Contains("\"nan\"")); // NaN rewards are spelled out

    auto restored = make_asha(options);
    restored.restore(saved);
    CHECK(restored.save() == saved);
    CHECK(restored.describe_state() == original.describe_state());
    CHECK(second_half(restored) == second_half(original));
    CHECK(restored.save() == original.save());
}

} // namespace

TEST_CASE("ASHA state: restored stopping scheduler decides exactly as the original") {
    check_restore_continues_identically(
        {{"max_t", 10}, {"reduction_factor", 2}, {"brackets", 2}, {"seed", 5}});
}

TEST_CASE("ASHA state: restored promotion scheduler decides and promotes exactly as the original") {
    check_restore_continues_identically(
        {{"max_t", 10}, {"reduction_factor", 2}, {"brackets", 2}, {"seed", 9}, {"variant", "promotion"}});
}

TEST_CASE("ASHA state: bad or foreign state is refused and changes nothing") {
    const Json options{{"max_t", 10}, {"reduction_factor", 2}};
    auto asha = make_asha(options);
    first_half(asha);
    const std::string before = asha.save();

    auto refused = [&](const std::string &state, const std::string &expected) {
        INFO(state);
        auto [status, message] = call_error([&] { asha.restore(state); });
        CHECK(status == TUNE_ERROR_STATE);
        CHECK_THAT(message, Catch::Contains(expected));
        CHECK(asha.save() == before);
    };
    refused("not json", "not JSON");
    refused(R"({"format":"org.tune.scheduler.fifo/1","trials":[],"results":0})", "not ASHA state");

    auto other_max_t = make_asha({{"max_t", 20}, {"reduction_factor", 2}});
    refused(other_max_t.save(), "milestones");
    auto other_variant = make_asha({{"max_t", 10}, {"reduction_factor", 2}, {"variant", "promotion"}});
    refused(other_variant.save(), "variant");
    auto more_brackets = make_asha({{"max_t", 10}, {"reduction_factor", 2}, {"brackets", 2}});
    refused(more_brackets.save(), "brackets");

    Json corrupt = Json::parse(before);
    corrupt["brackets"][0]["rungs"][3]["recorded"][0][1] = "lots";
    refused(corrupt.dump(), "reward");
    corrupt = Json::parse(before);
    corrupt["trials"]["t1"] = 7;
    refused(corrupt.dump(), "'t1'");
    corrupt = Json::parse(before);
    corrupt["rng"] = "garbage";
    refused(corrupt.dump(), "rng");
}

TEST_CASE("ASHA state: calls in the wrong order are state errors") {
    SECTION("before setup") {
        auto asha = load_asha();
        auto [status, message] = call_error([&] { asha.on_trial_add("a", "{}"); });
        CHECK(status == TUNE_ERROR_STATE);
        CHECK_THAT(message, Catch::Contains("setup"));
    }
    SECTION("a result of a trial never added, and a trial added twice") {
        auto asha = make_asha(Json::object());
        auto [unknown, unknown_message] = call_error([&] { report(asha, "ghost", 1, 0.5); });
        CHECK(unknown == TUNE_ERROR_STATE);
        CHECK_THAT(unknown_message, Catch::Contains("'ghost'"));
        asha.on_trial_add("a", "{}");
        auto [twice, twice_message] = call_error([&] { asha.on_trial_add("a", "{}"); });
        CHECK(twice == TUNE_ERROR_STATE);
        CHECK_THAT(twice_message, Catch::Contains("already added"));
    }
}
