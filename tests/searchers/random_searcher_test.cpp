// org.tune.searcher.random through the real plugin ABI: num_samples × grid counting, order,
// seeding, save/restore and configuration errors.
#include <set>

#include "searchers/searcher_test_support.hpp"
#include "tune/space/search_space.hpp"

using namespace tune::searcher_test;
using tune::core::PluginCallError;

TEST_CASE("random searcher: a grid of 2 values with num_samples 4 gives 8 trials with the grid innermost") {
    const json space = {{"g", {{"grid_search", {1, 2}}}}, {"lr", {{"uniform", {0, 1}}}}};
    auto searcher = set_up(random_searcher, settings(space, 4));
    const auto configs = drain(*searcher);
    REQUIRE(configs.size() == 8);
    std::set<double> learning_rates;
    for (std::size_t i = 0; i < configs.size(); ++i) {
        CHECK(configs[i]["g"] == json(i % 2 == 0 ? 1 : 2));
        learning_rates.insert(configs[i]["lr"].get<double>());
    }
    CHECK(learning_rates.size() == 8); // every trial samples afresh
    CHECK(searcher->suggest("after_the_end").outcome == TUNE_SUGGEST_FINISHED);
}

TEST_CASE("random searcher: without a grid it proposes num_samples configs that lie in the space") {
    const json space = {{"model", {{"l1", {{"sample_from", "2 ** randint(2, 9)"}}}, {"act", {{"choice", {"relu", "tanh"}}}}}},
                        {"lr", {{"loguniform", {1e-4, 1e-1}}}},
                        {"epochs", 10}};
    const auto parsed = tune::space::SearchSpace::parse(space);
    auto searcher = set_up(random_searcher, settings(space, 25));
    const auto configs = drain(*searcher);
    REQUIRE(configs.size() == 25);
    std::set<std::string> activations;
    for (const json &config : configs) {
        INFO(config.dump());
        CHECK(parsed.violation(config) == std::nullopt);
        activations.insert(config["model"]["act"].get<std::string>());
    }
    CHECK(activations.size() == 2); // choice is sampled, not enumerated
}

TEST_CASE("random searcher: the same seed repeats the sequence and another seed changes it") {
    const json space = {{"x", {{"uniform", {0, 1}}}}, {"n", {{"randint", {0, 1000}}}}, {"g", {{"grid_search", {1, 2, 3}}}}};
    const auto first = drain(*set_up(random_searcher, settings(space, 3, 7)));
    const auto again = drain(*set_up(random_searcher, settings(space, 3, 7)));
    const auto other = drain(*set_up(random_searcher, settings(space, 3, 8)));
    CHECK(first.size() == 9);
    CHECK(first == again);
    CHECK(first != other);
}

TEST_CASE("random searcher: a restored searcher continues the sequence without repeating") {
    const json space = {{"x", {{"uniform", {0, 1}}}}, {"g", {{"grid_search", {"a", "b"}}}}};
    const json searcher_settings = settings(space, 3, 5);
    const auto uninterrupted = drain(*set_up(random_searcher, searcher_settings));
    REQUIRE(uninterrupted.size() == 6);

    auto before = set_up(random_searcher, searcher_settings);
    std::vector<json> configs;
    for (int i = 0; i < 3; ++i) configs.push_back(json::parse(before->suggest(std::to_string(i)).config_json));
    const std::string state = before->save();

    auto after = set_up(random_searcher, searcher_settings);
    after->restore(state);
    for (const json &config : drain(*after)) configs.push_back(config);
    CHECK(configs == uninterrupted);

    // Restoring a finished searcher keeps it finished.
    auto finished = set_up(random_searcher, searcher_settings);
    finished->restore(after->save());
    CHECK(finished->suggest("more").outcome == TUNE_SUGGEST_FINISHED);
}

TEST_CASE("random searcher: unknown options are rejected naming the key") {
    auto searcher = load(random_searcher);
    try {
        searcher->setup(settings({{"x", 1}}, 1, 1, {{"max_concurrent", 4}}).dump());
        FAIL("expected setup to fail");
    } catch (const PluginCallError &error) {
        CHECK(error.status() == TUNE_ERROR_INVALID_CONFIG);
        CHECK(plugin_message(error) == "unknown option 'max_concurrent': the random searcher takes no options");
    }
}

TEST_CASE("random searcher: an invalid space fails setup with the key path first") {
    auto searcher = load(random_searcher);
    try {
        searcher->setup(settings({{"model", {{"l1", {{"randint", {9, 2}}}}}}}).dump());
        FAIL("expected setup to fail");
    } catch (const PluginCallError &error) {
        CHECK(error.status() == TUNE_ERROR_INVALID_CONFIG);
        CHECK(plugin_message(error).rfind("model.l1: randint needs lower < upper", 0) == 0);
    }
}

TEST_CASE("random searcher: num_samples below 1 is a config error") {
    auto searcher = load(random_searcher);
    try {
        searcher->setup(settings({{"x", 1}}, 0).dump());
        FAIL("expected setup to fail");
    } catch (const PluginCallError &error) {
        CHECK(error.status() == TUNE_ERROR_INVALID_CONFIG);
        CHECK(plugin_message(error) == "num_samples must be >= 1, found 0");
    }
}

TEST_CASE("random searcher: calls before setup and corrupt states are errors and not crashes") {
    auto searcher = load(random_searcher);
    try {
        searcher->suggest("0");
        FAIL("expected suggest to fail");
    } catch (const PluginCallError &error) {
        CHECK(error.status() == TUNE_ERROR_STATE);
        CHECK(plugin_message(error) == "the random searcher was not set up");
    }

    searcher->setup(settings({{"x", {{"uniform", {0, 1}}}}}).dump());
    const auto restore_status = [&](const std::string &state) {
        try {
            searcher->restore(state);
        } catch (const PluginCallError &error) {
            return error.status();
        }
        return TUNE_OK;
    };
    CHECK(restore_status("not json") == TUNE_ERROR_INVALID_ARGUMENT);
    CHECK(restore_status(R"({"position": 1})") == TUNE_ERROR_INVALID_ARGUMENT);
    CHECK(restore_status(R"({"position": 1, "rng": "garbage"})") == TUNE_ERROR_INVALID_ARGUMENT);
    CHECK(restore_status(R"({"position": 99, "rng": "1"})") == TUNE_ERROR_INVALID_ARGUMENT);
    // A failed restore leaves the searcher usable from where it was.
    CHECK(drain(*searcher).size() == 4);
}
