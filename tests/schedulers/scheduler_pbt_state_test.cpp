// The PBT scheduler's save/restore: a scheduler restored in the middle of a run decides and
// acts exactly as the original would, random choices included (the same RNG stream); bad or
// foreign state is refused and changes nothing.
#include <catch2/catch.hpp>

#include "scheduler_pbt_fixture.hpp"

using namespace tune::test;
using tune::core::SchedulerAdapter;

namespace {

Json options(bool synch) {
    return {{"time_attr", "training_iteration"},
            {"perturbation_interval", 2},
            {"quantile_fraction", 0.5},
            {"resample_probability", 0.5},
            {"synch", synch},
            {"hyperparam_mutations",
             {{"lr", {{"loguniform", {1e-4, 1e-1}}}}, {"model", {{"units", {16, 32, 64, 128}}}}}}};
}

Json config(double lr, int units) { return {{"lr", lr}, {"model", {{"units", units}}}}; }

// Everything the scheduler answers, as text for comparison.
struct Transcript {
    std::vector<std::string> lines;
    void note(const Outcome &outcome) { lines.push_back(outcome.action + " " + outcome.detail.dump()); }
    void note(const std::vector<SchedulerAction> &actions) {
        for (const SchedulerAction &a : actions)
            lines.push_back(action_texts({a}).at(0) + " " + a.config.dump() + " " + a.detail_json);
    }
};

// Six trials reporting in turn, a waiting one started when choose_trial_to_run picks it, with
// losses that reorder the population; t3 fails at the end of the first half, t4 completes at
// the end of the second.
void run_half(SchedulerAdapter &pbt, Transcript &out, int first_iteration, int last_iteration) {
    const char *ids[] = {"t0", "t1", "t2", "t3", "t4", "t5"};
    for (int iteration = first_iteration; iteration <= last_iteration; ++iteration) {
        for (int k = 0; k < 6; ++k) {
            const std::string id = ids[k];
            const Json state = describe(pbt);
            if (!state["population"].contains(id)) continue; // ended
            if (state["population"][id]["status"] != "RUNNING") {
                std::vector<std::pair<std::string, std::string>> candidates;
                for (const auto &item : state["population"].items())
                    if (item.value()["status"] != "RUNNING") candidates.push_back({item.key(), item.value()["status"]});
                const std::optional<std::string> chosen = choose(pbt, candidates);
                out.lines.push_back("choose " + chosen.value_or("(none)"));
                if (chosen != id) continue;
            }
            const double loss = 1.0 + ((k * 7 + iteration * 3) % 11) / 10.0;
            out.note(report(pbt, id, iteration, loss));
            out.note(pbt.take_actions());
            if (iteration == last_iteration && k == (first_iteration == 1 ? 3 : 4)) {
                if (k == 3) pbt.on_trial_error(id);
                else pbt.on_trial_complete(id, Json{{"training_iteration", iteration}, {"loss", loss}}.dump());
                out.note(pbt.take_actions());
            }
        }
    }
    out.lines.push_back(pbt.describe_state());
}

SchedulerAdapter first_half(bool synch, Transcript &out) {
    SchedulerAdapter pbt = make_pbt(options(synch), "loss", "min", 42);
    const double lrs[] = {1e-3, 2e-3, 5e-3, 1e-2, 2e-2, 5e-2};
    const int units[] = {16, 32, 64, 128, 16, 32};
    for (int k = 0; k < 6; ++k) pbt.on_trial_add("t" + std::to_string(k), config(lrs[k], units[k]).dump());
    for (int k = 0; k < 3; ++k) {
        std::vector<std::pair<std::string, std::string>> candidates;
        for (int j = k; j < 6; ++j) candidates.push_back({"t" + std::to_string(j), "PENDING"});
        out.lines.push_back("choose " + choose(pbt, candidates).value_or("(none)"));
    }
    run_half(pbt, out, 1, 6);
    return pbt;
}

} // namespace

TEST_CASE("pbt state: a restored scheduler decides and acts exactly as the original") {
    for (bool synch : {false, true}) {
        INFO((synch ? "synch" : "async"));
        Transcript before;
        SchedulerAdapter original = first_half(synch, before);
        const std::string saved = original.save();
        CHECK(Json::parse(saved)["format"] == "org.tune.scheduler.pbt/1");

        SchedulerAdapter restored = make_pbt(options(synch), "loss", "min", 42);
        restored.restore(saved);
        CHECK(restored.save() == saved);
        CHECK(restored.describe_state() == original.describe_state());

        Transcript expected, actual;
        run_half(original, expected, 7, 14);
        run_half(restored, actual, 7, 14);
        CHECK(actual.lines == expected.lines);
        // The second half explored and exploited, so the RNG stream and configs mattered.
        std::string all;
        for (const std::string &line : expected.lines) all += line + "\n";
        CHECK_THAT(all, Catch::Contains("exploit "));
        CHECK_THAT(all, Catch::Contains("resample"));
        CHECK_THAT(all, Catch::Contains("checkpoint "));

        // The same state with another generator's state explores otherwise: the stream matters.
        Json reseeded = Json::parse(saved);
        reseeded["rng"] = Json::parse(make_pbt(options(synch), "loss", "min", 7).save())["rng"];
        SchedulerAdapter other = make_pbt(options(synch), "loss", "min", 42);
        other.restore(reseeded.dump());
        Transcript unrelated;
        run_half(other, unrelated, 7, 14);
        CHECK(unrelated.lines != expected.lines);
    }
}

TEST_CASE("pbt state: bad or foreign state is refused and changes nothing") {
    Transcript ignored;
    SchedulerAdapter pbt = first_half(false, ignored);
    const std::string before = pbt.save();

    auto refused = [&](const std::string &state, const std::string &expected) {
        INFO(state);
        auto [status, message] = call_error([&] { pbt.restore(state); });
        CHECK(status == TUNE_ERROR_STATE);
        CHECK_THAT(message, Catch::Contains(expected));
        CHECK(pbt.save() == before);
    };
    refused("not json", "not JSON");
    refused(R"({"format":"org.tune.scheduler.fifo/1","trials":[],"results":0})", "not PBT state");
    Json other = options(false);
    other["time_attr"] = "time_total_s";
    refused(make_pbt(other).save(), "time_attr");
    refused(make_pbt(options(false), "accuracy").save(), "metric");
    refused(make_pbt(options(false), "loss", "max").save(), "mode");

    auto corrupt = [&](auto edit, const std::string &expected) {
        Json state = Json::parse(before);
        edit(state);
        refused(state.dump(), expected);
    };
    corrupt([](Json &s) { s["trials"] = "t0"; }, "'trials'");
    corrupt([](Json &s) { s["trials"][0]["status"] = "SLEEPING"; }, "status \"SLEEPING\"");
    corrupt([](Json &s) { s["trials"][0]["last_score"] = "high"; }, "last_score");
    corrupt([](Json &s) { s["trials"][0].erase("has_checkpoint"); }, "has_checkpoint");
    corrupt([](Json &s) { s["trials"][0]["config"] = 3; }, "'config'");
    corrupt([](Json &s) { s["trials"][1]["trial_id"] = "t0"; }, "appears twice");
    corrupt([](Json &s) { s["next_perturbation_sync"] = "soon"; }, "next_perturbation_sync");
    corrupt([](Json &s) { s["num_checkpoints"] = -1; }, "'num_checkpoints'");
    corrupt([](Json &s) { s["rng"] = "not a generator"; }, "'rng'");
    corrupt([](Json &s) { s["actions"] = nullptr; }, "'actions'");

    // Other options may differ on resume, but the trials' configs must hold every mutated key.
    Json more = options(false);
    more["hyperparam_mutations"]["momentum"] = {{"uniform", {0.5, 0.99}}};
    SchedulerAdapter wider = make_pbt(more, "loss", "min", 42);
    auto [status, message] = call_error([&] { wider.restore(before); });
    CHECK(status == TUNE_ERROR_STATE);
    CHECK_THAT(message, Catch::Contains("does not fit hyperparam_mutations") && Catch::Contains("'momentum'"));
}

TEST_CASE("pbt state: actions not yet taken are saved with the state") {
    SchedulerAdapter pbt = explore_setup({{"hyperparam_mutations", {{"lr", {{"uniform", {0.0, 1.0}}}}}}},
                                         {{"lr", 0.5}}, {{"lr", 0.5}});
    report(pbt, "low", 2, 10.0); // an exploit, not taken
    SchedulerAdapter restored = make_pbt({{"time_attr", "training_iteration"},
                                          {"perturbation_interval", 1},
                                          {"hyperparam_mutations", {{"lr", {{"uniform", {0.0, 1.0}}}}}}});
    restored.restore(pbt.save());
    CHECK(take(restored) == std::vector<std::string>{"exploit low from donor"});
    CHECK(restored.take_actions().empty());
}
