// org.tune.searcher.tpe on every kind of domain through the real plugin ABI: the configs stay
// in the space (integers are integers, quantized values on their grid, log domains positive,
// choices from the list) while TPE models them, sample_from expressions are modelled call by
// call, and what TPE cannot model (grid_search) is refused at setup with the key named.
#include <set>

#include "searchers/searcher_tpe_fixture.hpp"
#include "tune/space/search_space.hpp"

using namespace tune::tpe_test;
using Catch::Matchers::Contains;
using tune::core::PluginCallError;

namespace {

// Every domain kind, a constant, a string constant and a nested table.
const json every_domain = json::parse(R"JSON({
  "u": {"uniform": [-1, 2]}, "qu": {"quniform": [0.3, 1.0, 0.1]}, "lu": {"loguniform": [1e-4, 1e-1]},
  "qlu": {"qloguniform": [1e-4, 1e-1, 5e-5]}, "rn": {"randn": [1, 0.1]}, "qrn": {"qrandn": [0, 1, 0.1]},
  "ri": {"randint": [2, 9]}, "qri": {"qrandint": [16, 256, 16]}, "lri": {"lograndint": [8, 1024]},
  "qlri": {"qlograndint": [10, 10000, 10], "base": 2}, "one": {"randint": [5, 6]},
  "act": {"choice": ["relu", "tanh", 3, [1, 2]]}, "epochs": 10, "name": "net",
  "model": {"depth": {"qrandint": [1, 10, 3]}, "opt": {"lr": {"loguniform": [1, 1024], "base": 2}}}
})JSON");

bool multiple_of(double value, double q) {
    const double ratio = value / q;
    return std::abs(ratio - std::round(ratio)) < 1e-9;
}

// A loss that depends on every parameter, so that TPE has something to model.
double every_domain_loss(const json &c) {
    return std::pow(c["u"].get<double>() - 0.5, 2) + std::abs(std::log10(c["lu"].get<double>()) + 2) +
           std::abs(c["ri"].get<double>() - 5) / 3 + (c["act"] == "tanh" ? 0.0 : 1.0) +
           std::abs(c["qrn"].get<double>()) + std::abs(c["model"]["depth"].get<double>() - 6) / 6;
}

void check_every_domain(const json &c) {
    INFO(c.dump());
    const auto space = tune::space::SearchSpace::parse(every_domain);
    CHECK(space.violation(c) == std::nullopt);
    for (const char *key : {"ri", "qri", "lri", "qlri", "one"}) CHECK(c[key].is_number_integer());
    for (const char *key : {"u", "qu", "lu", "qlu", "rn", "qrn"}) CHECK(c[key].is_number_float());
    CHECK(c["model"]["depth"].is_number_integer());
    CHECK(multiple_of(c["qu"].get<double>(), 0.1));
    CHECK(c["qu"].get<double>() >= 0.3);
    CHECK(c["qu"].get<double>() <= 1.0);
    CHECK(multiple_of(c["qlu"].get<double>(), 5e-5));
    CHECK(c["qlu"].get<double>() > 0.0);
    CHECK(multiple_of(c["qrn"].get<double>(), 0.1));
    CHECK(c["qri"].get<long long>() % 16 == 0);
    CHECK(c["qlri"].get<long long>() % 10 == 0);
    CHECK(c["model"]["depth"].get<long long>() % 3 == 0);
    CHECK(c["lu"].get<double>() > 0.0);
    CHECK(c["lri"].get<long long>() >= 8);
    CHECK(c["lri"].get<long long>() < 1024);
    CHECK(c["ri"].get<long long>() < 9);
    CHECK(c["one"] == 5);
    CHECK(c["epochs"] == 10);
    CHECK(c["name"] == "net");
    CHECK(c["model"]["opt"]["lr"].get<double>() >= 1.0);
}

} // namespace

TEST_CASE("tpe space: every domain kind stays inside its bounds and on its grid") {
    for (const bool multivariate : {false, true}) {
        auto searcher = make_tpe(tpe_settings(every_domain, 40, 3, {{"multivariate", multivariate}}));
        const Played played = play(*searcher, 40, every_domain_loss);
        REQUIRE(played.configs.size() == 40);
        std::set<json> activations;
        for (const json &config : played.configs) {
            check_every_domain(config);
            activations.insert(config["act"]);
        }
        CHECK(activations.size() >= 3); // the choices are modelled, not fixed
        CHECK(searcher->suggest("t40").outcome == TUNE_SUGGEST_FINISHED);
    }
}

TEST_CASE("tpe space: the tutorial's sample_from space is modelled call by call") {
    // The PyTorch tutorial's space: l1 and l2 are 2 ** randint(2, 9).
    const json space = json::parse(R"JSON({
      "l1": {"sample_from": "2 ** randint(2, 9)"}, "l2": {"sample_from": "2 ** randint(2, 9)"},
      "lr": {"loguniform": [1e-4, 1e-1]}, "batch_size": {"choice": [2, 4, 8, 16]},
      "half": {"sample_from": "l1 / 2"}
    })JSON");
    const auto parsed = tune::space::SearchSpace::parse(space);
    auto searcher = make_tpe(tpe_settings(space, 60, 5));
    // Best at l1 = 64 and l2 = 16.
    const Played played = play(*searcher, 60, [](const json &c) {
        return std::abs(std::log2(c["l1"].get<double>()) - 6) + std::abs(std::log2(c["l2"].get<double>()) - 4);
    });
    REQUIRE(played.configs.size() == 60);
    int best_l1_late = 0;
    for (std::size_t i = 0; i < played.configs.size(); ++i) {
        const json &c = played.configs[i];
        INFO(c.dump());
        CHECK(parsed.violation(c) == std::nullopt);
        const long long l1 = c["l1"].get<long long>();
        CHECK(c["l1"].is_number_integer());
        CHECK((l1 >= 4 && l1 <= 256 && (l1 & (l1 - 1)) == 0)); // a power of two from 2^2 to 2^8
        CHECK(c["half"].get<double>() == l1 / 2.0);            // references read the modelled value
        if (i >= 30 && l1 == 64) ++best_l1_late;
    }
    // Random search would give l1 = 64 one time in 7: about 4 of the last 30.
    CHECK(best_l1_late >= 10);
}

TEST_CASE("tpe space: random calls whose bounds read other parameters stay inside them") {
    const json space = json::parse(R"JSON({
      "n": {"randint": [1, 50]}, "lr": {"loguniform": [1e-3, 1]},
      "k": {"sample_from": "randint(0, n)"}, "w": {"sample_from": "uniform(0, lr) + choice(1, 2, n) * 0"},
      "g": {"sample_from": "loguniform(lr, 2 * lr)"}, "z": {"sample_from": "randn(n, lr)"},
      "pick": {"sample_from": "choice(n, 2 * n, 3 * n)"}
    })JSON");
    auto searcher = make_tpe(tpe_settings(space, 30, 8, {{"n_startup_trials", 5}}));
    const Played played =
        play(*searcher, 30, [](const json &c) { return c["k"].get<double>() / c["n"].get<double>(); });
    REQUIRE(played.configs.size() == 30);
    for (const json &c : played.configs) {
        INFO(c.dump());
        const double n = c["n"].get<double>(), lr = c["lr"].get<double>();
        CHECK(c["k"].is_number_integer());
        CHECK(c["k"].get<double>() >= 0);
        CHECK(c["k"].get<double>() < n);
        CHECK(c["w"].get<double>() >= 0);
        CHECK(c["w"].get<double>() < lr);
        CHECK(c["g"].get<double>() >= lr);
        CHECK(c["g"].get<double>() < 2 * lr);
        CHECK(std::isfinite(c["z"].get<double>()));
        const double pick = c["pick"].get<double>();
        CHECK((pick == n || pick == 2 * n || pick == 3 * n));
    }
}

TEST_CASE("tpe space: expressions list their random calls and evaluate with the values given") {
    const json space = {{"n", 4},
                        {"x", {{"sample_from", "2 ** randint(2, 9) + choice(1, n, 3) * randn() - uniform(0, n)"}}}};
    const auto parsed = tune::space::SearchSpace::parse(space);
    const auto &expression = std::get<tune::space::Expression>(parsed.find("x")->definition);
    const auto &calls = expression.random_calls();
    REQUIRE(calls.size() == 4);
    CHECK(calls[0].function == "randint");
    CHECK(calls[0].text == "randint(2, 9)");
    CHECK(calls[0].arguments == std::vector<std::optional<double>>{2.0, 9.0});
    CHECK(calls[1].function == "choice");
    CHECK(calls[1].arguments == std::vector<std::optional<double>>{1.0, std::nullopt, 3.0}); // n is a reference
    CHECK(calls[2].text == "randn()");
    CHECK(calls[2].arguments == std::vector<std::optional<double>>{0.0, 1.0});
    CHECK(calls[3].arguments == std::vector<std::optional<double>>{0.0, std::nullopt});
    std::vector<std::vector<double>> seen(4);
    const json value = expression.evaluate_with({4.0}, [&](std::size_t call, const std::vector<double> &arguments) {
        seen.at(call) = arguments;
        return std::vector<double>{5.0, arguments[1], 0.5, 1.5}.at(call);
    });
    CHECK(value == 32 + 4 * 0.5 - 1.5);
    CHECK(seen[1] == std::vector<double>{1, 4, 3}); // the arguments as evaluated
    // A call nested in another's arguments comes after it; arguments a draw would refuse fail.
    const auto nested = tune::space::SearchSpace::parse({{"y", {{"sample_from", "randint(0, randint(1, 3))"}}}});
    const auto &inner = std::get<tune::space::Expression>(nested.find("y")->definition);
    REQUIRE(inner.random_calls().size() == 2);
    CHECK(inner.random_calls()[0].arguments == std::vector<std::optional<double>>{0.0, std::nullopt});
    CHECK_THROWS_WITH(
        inner.evaluate_with({}, [](std::size_t, const std::vector<double> &) { return 0.0; }),
        Contains("y: sample_from expression 'randint(0, randint(1, 3))' failed: randint(0, 0) needs lower < upper"));
}

TEST_CASE("tpe space: grid_search is refused at setup with its key named") {
    const json space = {{"lr", {{"loguniform", {1e-4, 1e-1}}}},
                        {"model", {{"activation", {{"grid_search", {"relu", "tanh"}}}}}}};
    auto searcher = load(tpe_searcher);
    try {
        searcher->setup(tpe_settings(space, 4, 1).dump());
        FAIL("setup accepted a grid_search");
    } catch (const PluginCallError &error) {
        CHECK(error.status() == TUNE_ERROR_INVALID_CONFIG);
        CHECK_THAT(plugin_message(error), Contains("model.activation: grid_search cannot be modelled by TPE"));
        CHECK_THAT(plugin_message(error), Contains("choice"));
    }
}

TEST_CASE("tpe space: what TPE cannot model or an invalid space fails setup naming the key") {
    const auto refused = [](const json &space) {
        auto searcher = load(tpe_searcher);
        try {
            searcher->setup(tpe_settings(space, 4, 1).dump());
        } catch (const PluginCallError &error) {
            CHECK(error.status() == TUNE_ERROR_INVALID_CONFIG);
            return plugin_message(error);
        }
        FAIL("setup accepted " << space.dump());
        return std::string();
    };
    // A call that never runs (the conditional skips it) parses, but has no domain to model.
    CHECK_THAT(refused({{"x", {{"sample_from", "0 ? randint(5, 2) : 1"}}}}),
               Contains("x: sample_from expression '0 ? randint(5, 2) : 1': randint(5, 2) cannot be modelled by TPE"));
    CHECK_THAT(refused({{"a", {{"b", {{"uniform", {1, 0}}}}}}}), Contains("a.b: uniform needs lower < upper"));
}
