// The FIFO scheduler plugin, loaded through the real ABI.
#include <catch2/catch.hpp>

#include "scheduler_fixture.hpp"

using namespace tune::test;

TEST_CASE("FIFO: the plugin is a scheduler with the documented id") {
    auto fifo = load_fifo();
    CHECK(fifo.info().id == "org.tune.scheduler.fifo");
    CHECK(fifo.info().kind == TUNE_KIND_SCHEDULER);
}

TEST_CASE("FIFO: every result continues, whatever the metric says") {
    auto fifo = load_fifo();
    fifo.setup(R"({"metric":"loss","mode":"min"})");
    fifo.on_trial_add("a", "{}");
    fifo.on_trial_add("b", "{}");
    CHECK(report(fifo, "a", 1, 0.1).action == "CONTINUE");
    CHECK(report(fifo, "b", 1, 1e9).action == "CONTINUE");
    CHECK(report(fifo, "b", 1000, nullptr).action == "CONTINUE");
    CHECK(send_result(fifo, "a", Json{{"training_iteration", 2}}).action == "CONTINUE");
    CHECK(report(fifo, "a", 2, 0.1).detail == Json::object()); // nothing to explain
}

TEST_CASE("FIFO: runs the first PENDING candidate, else the first PAUSED one") {
    auto fifo = load_fifo();
    fifo.setup(R"({"metric":"loss","mode":"min"})");
    CHECK(choose(fifo, {{"p", "PAUSED"}, {"b", "PENDING"}, {"c", "PENDING"}}) == "b");
    CHECK(choose(fifo, {{"p", "PAUSED"}, {"q", "PAUSED"}}) == "p");
    CHECK(choose(fifo, {}) == std::nullopt);
}

TEST_CASE("FIFO: any option is an error naming the key") {
    auto fifo = load_fifo();
    auto [status, message] = call_error([&] { fifo.setup(R"({"metric":"loss","options":{"max_t":10}})"); });
    CHECK(status == TUNE_ERROR_INVALID_CONFIG);
    CHECK_THAT(message, Catch::Contains("unknown FIFO option 'max_t'"));
}

TEST_CASE("FIFO: describe_state, save and restore carry the live trials and the result count") {
    auto fifo = load_fifo();
    fifo.setup(R"({"metric":"loss","mode":"min"})");
    fifo.on_trial_add("a", "{}");
    fifo.on_trial_add("b", "{}");
    fifo.on_trial_add("c", "{}");
    report(fifo, "a", 1, 0.5);
    report(fifo, "b", 1, 0.4);
    fifo.on_trial_complete("a", std::nullopt);
    fifo.on_trial_error("c");
    const Json expected{{"scheduler", "fifo"}, {"trials", 1}, {"results", 2}};
    CHECK(describe(fifo) == expected);

    auto restored = load_fifo();
    restored.setup(R"({"metric":"loss","mode":"min"})");
    restored.restore(fifo.save());
    CHECK(describe(restored) == expected);
    CHECK(restored.save() == fifo.save());

    SECTION("a state that is not FIFO's is refused and changes nothing") {
        for (const std::string bad : {"not json", R"({"format":"org.tune.scheduler.asha/1"})",
                                      R"({"format":"org.tune.scheduler.fifo/1","trials":[1],"results":0})"}) {
            INFO(bad);
            auto [status, message] = call_error([&] { restored.restore(bad); });
            CHECK(status == TUNE_ERROR_STATE);
            CHECK_THAT(message, Catch::Contains("FIFO"));
        }
        CHECK(describe(restored) == expected);
    }
}
