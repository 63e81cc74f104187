// org.tune.searcher.grid through the real plugin ABI: the cross product of grid_search and
// choice in its documented order, repeated num_samples times, seeding and save/restore.
#include <set>

#include "searchers/searcher_test_support.hpp"
#include "tune/space/search_space.hpp"

using namespace tune::searcher_test;
using tune::core::PluginCallError;

TEST_CASE("grid searcher: enumerates grid_search x choice by sorted key path with the last fastest num_samples times") {
    const json space = {{"opt", {{"choice", {"adam", "sgd"}}}},
                        {"model", {{"bs", {{"grid_search", {16, 32, 64}}}}}},
                        {"lr", {{"uniform", {0, 1}}}}};
    auto searcher = set_up(grid_searcher, settings(space, 2));
    const auto configs = drain(*searcher);
    REQUIRE(configs.size() == 12);
    std::vector<std::pair<json, json>> points;
    std::set<double> learning_rates;
    for (const json &config : configs) {
        points.emplace_back(config["model"]["bs"], config["opt"]);
        learning_rates.insert(config["lr"].get<double>());
        CHECK(config["lr"].get<double>() >= 0.0);
        CHECK(config["lr"].get<double>() < 1.0);
    }
    // "model.bs" sorts before "opt", so opt varies fastest.
    const std::vector<std::pair<json, json>> round{{16, "adam"}, {16, "sgd"}, {32, "adam"},
                                                   {32, "sgd"},  {64, "adam"}, {64, "sgd"}};
    std::vector<std::pair<json, json>> expected = round;
    expected.insert(expected.end(), round.begin(), round.end());
    CHECK(points == expected);
    CHECK(learning_rates.size() == 12); // the other domains are sampled for every config
    CHECK(searcher->suggest("after_the_end").outcome == TUNE_SUGGEST_FINISHED);
}

TEST_CASE("grid searcher: a space without grid_search or choice gives num_samples sampled configs") {
    const json space = {{"x", {{"randint", {0, 1000000}}}}};
    const auto configs = drain(*set_up(grid_searcher, settings(space, 3)));
    REQUIRE(configs.size() == 3);
    CHECK(configs[0] != configs[1]);
}

TEST_CASE("grid searcher: configs lie in the space and sample_from reads grid values") {
    const json space = {{"layers", {{"choice", {1, 2, 3}}}},
                        {"width", {{"sample_from", "layers * 64"}}},
                        {"drop", {{"quniform", {0, 0.5, 0.1}}}}};
    const auto parsed = tune::space::SearchSpace::parse(space);
    const auto configs = drain(*set_up(grid_searcher, settings(space, 1)));
    REQUIRE(configs.size() == 3);
    for (std::size_t i = 0; i < configs.size(); ++i) {
        CHECK(configs[i]["layers"] == json(i + 1));
        CHECK(configs[i]["width"] == json((i + 1) * 64));
        CHECK(parsed.violation(configs[i]) == std::nullopt);
    }
}

TEST_CASE("grid searcher: the same seed repeats the sampled values and another seed changes them") {
    const json space = {{"g", {{"grid_search", {1, 2}}}}, {"x", {{"uniform", {0, 1}}}}};
    const auto first = drain(*set_up(grid_searcher, settings(space, 2, 3)));
    CHECK(first == drain(*set_up(grid_searcher, settings(space, 2, 3))));
    const auto other = drain(*set_up(grid_searcher, settings(space, 2, 4)));
    CHECK(first != other);
    for (std::size_t i = 0; i < first.size(); ++i) CHECK(first[i]["g"] == other[i]["g"]); // same grid order
}

TEST_CASE("grid searcher: a restored searcher continues the sequence without repeating") {
    const json space = {{"c", {{"choice", {1, 2, 3}}}}, {"x", {{"uniform", {0, 1}}}}};
    const json searcher_settings = settings(space, 2, 9);
    const auto uninterrupted = drain(*set_up(grid_searcher, searcher_settings));
    REQUIRE(uninterrupted.size() == 6);

    auto before = set_up(grid_searcher, searcher_settings);
    std::vector<json> configs;
    for (int i = 0; i < 4; ++i) configs.push_back(json::parse(before->suggest(std::to_string(i)).config_json));
    auto after = set_up(grid_searcher, searcher_settings);
    after->restore(before->save());
    for (const json &config : drain(*after)) configs.push_back(config);
    CHECK(configs == uninterrupted);
}

TEST_CASE("grid searcher: configuration errors name the key") {
    auto searcher = load(grid_searcher);
    try {
        searcher->setup(settings({{"opt", {{"choice", json::array()}}}}).dump());
        FAIL("expected setup to fail");
    } catch (const PluginCallError &error) {
        CHECK(error.status() == TUNE_ERROR_INVALID_CONFIG);
        CHECK(plugin_message(error).rfind("opt: choice expects a non-empty array", 0) == 0);
    }
    try {
        searcher->setup(settings({{"x", 1}}, 1, 1, {{"shuffle", true}}).dump());
        FAIL("expected setup to fail");
    } catch (const PluginCallError &error) {
        CHECK(error.status() == TUNE_ERROR_INVALID_CONFIG);
        CHECK(plugin_message(error) == "unknown option 'shuffle': the grid searcher takes no options");
    }
}
