// org.tune.searcher.tpe as the engine drives it, through the real plugin ABI: seeds, save and
// restore, parallel trials (the constant liar), trials stopped early and failed, num_samples,
// and that it beats random search on a quadratic.
#include <algorithm>
#include <set>

#include "searchers/searcher_tpe_fixture.hpp"

using namespace tune::tpe_test;

namespace {

const json plane = {{"x", {{"uniform", {-5, 5}}}}, {"y", {{"uniform", {-5, 5}}}}};

double bowl(const json &c) {
    const double x = c["x"].get<double>(), y = c["y"].get<double>();
    return (x - 1.0) * (x - 1.0) + (y + 2.0) * (y + 2.0);
}

// A mixed space for the state tests.
const json mixed = json::parse(R"JSON({
  "x": {"uniform": [-5, 5]}, "n": {"randint": [0, 20]}, "act": {"choice": ["a", "b", "c"]},
  "l1": {"sample_from": "2 ** randint(2, 9)"}
})JSON");

double mixed_loss(const json &c) {
    return bowl({{"x", c["x"]}, {"y", -2.0}}) + std::abs(c["n"].get<double>() - 7) + (c["act"] == "b" ? 0 : 2) +
           std::abs(std::log2(c["l1"].get<double>()) - 5);
}

} // namespace

TEST_CASE("tpe behaviour: the same seed gives the same configs and another seed others") {
    const auto run = [](std::uint64_t seed) {
        auto searcher = make_tpe(tpe_settings(mixed, 30, seed));
        return play(*searcher, 30, mixed_loss).configs;
    };
    const auto first = run(4);
    CHECK(first.size() == 30);
    CHECK(first == run(4));
    CHECK(first != run(5));
}

TEST_CASE("tpe behaviour: a restored searcher suggests what the uninterrupted one does") {
    const json searcher_settings = tpe_settings(mixed, 40, 9, {{"n_startup_trials", 5}});
    // Three trials run at a time; the oldest completes before each new suggestion.
    const auto drive = [](tune::core::SearcherAdapter &searcher, int from, int to, std::vector<json> &configs,
                          std::vector<std::string> &running) {
        for (int i = from; i < to; ++i) {
            const std::string id = "t" + std::to_string(i);
            configs.push_back(suggest_config(searcher, id));
            running.push_back(id);
            if (running.size() == 3) {
                const std::string done = running.front();
                running.erase(running.begin());
                const double loss = mixed_loss(configs[static_cast<std::size_t>(std::stoi(done.substr(1)))]);
                searcher.on_result(done, final_result(loss, 1, false));
                searcher.on_complete(done, final_result(loss), false);
            }
        }
    };
    std::vector<json> uninterrupted, resumed;
    std::vector<std::string> running_a, running_b;
    auto a = make_tpe(searcher_settings);
    drive(*a, 0, 40, uninterrupted, running_a);

    auto b = make_tpe(searcher_settings);
    drive(*b, 0, 17, resumed, running_b); // saved with two trials still running
    const std::string state = b->save();
    auto c = make_tpe(searcher_settings);
    c->restore(state);
    drive(*c, 17, 40, resumed, running_b);
    CHECK(resumed == uninterrupted);
    CHECK(c->suggest("t40").outcome == TUNE_SUGGEST_FINISHED);
}

TEST_CASE("tpe behaviour: a malformed or foreign state is refused and changes nothing") {
    auto searcher = make_tpe(tpe_settings(mixed, 10, 1));
    const json before = suggest_config(*searcher, "t0");
    const std::string state = searcher->save();
    CHECK_THROWS(searcher->restore("{not json"));
    CHECK_THROWS(searcher->restore(R"({"format": "org.tune.searcher.random/1"})"));
    auto other = make_tpe(tpe_settings({{"z", {{"uniform", {0, 1}}}}}, 10, 1));
    CHECK_THROWS(other->restore(state)); // another space's dimensions
    auto copy = make_tpe(tpe_settings(mixed, 10, 1));
    copy->restore(state);
    CHECK(suggest_config(*copy, "t1") == suggest_config(*searcher, "t1"));
    CHECK(before.is_object());
}

TEST_CASE("tpe behaviour: suggestions for trials still running do not collapse") {
    // 12 trials finished, then 8 suggestions before any result, as with 8 trials in parallel.
    const auto parallel = [](bool liar) {
        auto searcher = make_tpe(tpe_settings(plane, 40, 21, {{"constant_liar", liar}}));
        play(*searcher, 12, bowl);
        std::vector<json> configs;
        for (int i = 0; i < 8; ++i) configs.push_back(suggest_config(*searcher, "p" + std::to_string(i)));
        return configs;
    };
    const auto spread = [](const std::vector<json> &configs) { // the smallest distance between two
        double smallest = INFINITY;
        for (std::size_t i = 0; i < configs.size(); ++i)
            for (std::size_t j = i + 1; j < configs.size(); ++j)
                smallest =
                    std::min(smallest, std::hypot(configs[i]["x"].get<double>() - configs[j]["x"].get<double>(),
                                                  configs[i]["y"].get<double>() - configs[j]["y"].get<double>()));
        return smallest;
    };
    const auto with_liar = parallel(true);
    const auto without = parallel(false);
    CHECK(std::set<json>(with_liar.begin(), with_liar.end()).size() == 8);
    CHECK(std::set<json>(without.begin(), without.end()).size() == 8);
    // The running trials count as the worst observations: the suggestions keep apart.
    CHECK(spread(with_liar) > spread(without));
    CHECK(spread(with_liar) > 0.05);
}

TEST_CASE("tpe behaviour: trials stopped early count as evidence ranked by their last step and failed ones not") {
    // x in [0, 10): four trials at 1, 3, 7 and 9 with losses 1, 2, 3, 4; n_startup_trials 4, so
    // the fifth suggestion is TPE's exactly when the four count.
    const json line = {{"x", {{"uniform", {0, 10}}}}};
    const std::vector<double> xs = {1, 3, 7, 9};
    const auto fifth = [&](const std::string &how) {
        auto searcher = make_tpe(tpe_settings(line, 10, 13, {{"n_startup_trials", 4}}));
        // The first four are random; state them through a restore with the chosen x values.
        json state = json::parse(searcher->save());
        for (std::size_t i = 0; i < xs.size(); ++i)
            state["trials"].push_back({{"id", "t" + std::to_string(i)},
                                       {"values", {xs[i]}},
                                       {"state", "running"},
                                       {"rank", 0},
                                       {"loss", 0},
                                       {"reported", false},
                                       {"last_step", 0},
                                       {"last_loss", 0},
                                       {"results", 0}});
        searcher->restore(state.dump());
        for (std::size_t i = 0; i < xs.size(); ++i) {
            const std::string id = "t" + std::to_string(i);
            const double loss = static_cast<double>(i + 1);
            if (how == "complete") {
                searcher->on_complete(id, final_result(loss, 10, true), false);
            } else if (how == "stopped") {
                // Stopped early (as ASHA would) at iterations 4, 3, 2, 1 ... but reversed: the
                // worst trial (x = 9) went furthest.
                const long long iteration = static_cast<long long>(i + 1);
                for (long long it = 1; it <= iteration; ++it) searcher->on_result(id, final_result(loss, it, false));
                searcher->on_complete(id, std::nullopt, false); // no final result: its last report counts
            } else {
                searcher->on_complete(id, std::nullopt, true);
            }
        }
        return suggest_config(*searcher, "t4")["x"].get<double>();
    };
    const double complete = fifth("complete"), stopped = fifth("stopped"), failed = fifth("failed");
    // Complete: l(x) is the best trial (x = 1). Stopped early: the trial that reached the
    // furthest step (x = 9) ranks first, whatever its value.
    CHECK(std::abs(complete - 1) < std::abs(complete - 9));
    CHECK(std::abs(stopped - 9) < std::abs(stopped - 1));
    // Failed trials are ignored: still the random phase, the config a searcher that never
    // leaves it gives.
    auto random_only = make_tpe(tpe_settings(line, 10, 13, {{"n_startup_trials", 100}}));
    CHECK(failed == suggest_config(*random_only, "t0")["x"].get<double>());
}

TEST_CASE("tpe behaviour: num_samples ends the suggestions and finished stays finished") {
    auto searcher = make_tpe(tpe_settings(plane, 3, 1));
    for (int i = 0; i < 3; ++i) suggest_config(*searcher, "t" + std::to_string(i));
    CHECK(searcher->suggest("t3").outcome == TUNE_SUGGEST_FINISHED);
    searcher->on_complete("t0", final_result(1.0), false);
    CHECK(searcher->suggest("t4").outcome == TUNE_SUGGEST_FINISHED);
    CHECK_THROWS(make_tpe(tpe_settings(plane, 0, 1)));
}

TEST_CASE("tpe behaviour: TPE beats random search on a quadratic after 50 trials") {
    auto tpe = make_tpe(tpe_settings(plane, 50, 2024));
    auto random = set_up(random_searcher, tpe_settings(plane, 50, 2024));
    const Played with_tpe = play(*tpe, 50, bowl);
    const Played with_random = play(*random, 50, bowl);
    REQUIRE(with_tpe.losses.size() == 50);
    REQUIRE(with_random.losses.size() == 50);
    CHECK(with_tpe.best() < with_random.best());
    // And it concentrates where the loss is low: the last 20 trials are better on average.
    const auto tail_mean = [](const Played &p) {
        double sum = 0;
        for (std::size_t i = 30; i < 50; ++i) sum += p.losses[i];
        return sum / 20;
    };
    CHECK(tail_mean(with_tpe) < 0.5 * tail_mean(with_random));
}

TEST_CASE("tpe behaviour: mode max maximises") {
    auto searcher = make_tpe(tpe_settings(plane, 40, 3, json::object(), "max"));
    Played played = play(*searcher, 40, [](const json &c) { return -bowl(c); }); // reported as "loss", maximised
    double late = 0, early = 0;
    for (std::size_t i = 0; i < 10; ++i) early += played.losses[i];
    for (std::size_t i = 30; i < 40; ++i) late += played.losses[i];
    CHECK(late > early);
}

TEST_CASE("tpe behaviour: options are checked and an unknown one is named") {
    const auto refused = [](const json &options) {
        auto searcher = load(tpe_searcher);
        try {
            searcher->setup(tpe_settings(plane, 4, 1, options).dump());
        } catch (const tune::core::PluginCallError &error) {
            CHECK(error.status() == TUNE_ERROR_INVALID_CONFIG);
            return plugin_message(error);
        }
        FAIL("setup accepted the options " << options.dump());
        return std::string();
    };
    CHECK_THAT(refused({{"n_startup", 3}}), Catch::Matchers::Contains("unknown TPE option 'n_startup'"));
    CHECK_THAT(refused({{"gamma", 1.5}}), Catch::Matchers::Contains("TPE option 'gamma' must be a number in (0, 1]"));
    CHECK_THAT(refused({{"n_ei_candidates", 0}}),
               Catch::Matchers::Contains("'n_ei_candidates' must be an integer >= 1"));
    CHECK_THAT(refused({{"weights", "ramp"}}),
               Catch::Matchers::Contains("'weights' must be \"default\" or \"uniform\""));
    CHECK_THAT(refused({{"constant_liar", 1}}), Catch::Matchers::Contains("'constant_liar' must be a boolean"));
    CHECK_THAT(refused({{"prior_weight", -1}}), Catch::Matchers::Contains("'prior_weight' must be a number > 0"));
    json no_metric = tpe_settings(plane, 4, 1);
    no_metric.erase("metric");
    auto searcher = load(tpe_searcher);
    CHECK_THROWS_WITH(searcher->setup(no_metric.dump()), Catch::Matchers::Contains("TPE needs a metric"));
    // Every option at once, with values other than the defaults.
    auto all = make_tpe(tpe_settings(plane, 30, 1,
                                     {{"n_startup_trials", 3},
                                      {"n_ei_candidates", 8},
                                      {"gamma", 0.25},
                                      {"gamma_max", 10},
                                      {"weights", "uniform"},
                                      {"prior_weight", 0.5},
                                      {"consider_prior", false},
                                      {"consider_magic_clip", false},
                                      {"consider_endpoints", true},
                                      {"multivariate", true},
                                      {"constant_liar", false},
                                      {"normalized_density", true},
                                      {"metric", "loss"},
                                      {"mode", "min"}}));
    CHECK(play(*all, 30, bowl).best() < 2.0);
}
