// sample_from: the expression language, random functions, references to other parameters and
// the expression errors.
#include <set>

#include "space/space_test_support.hpp"

using namespace tune::space;
using namespace tune::space::test;

namespace {

std::vector<json> draw_configs(const json &space, std::size_t count, std::uint64_t seed = 11) {
    const SearchSpace parsed = SearchSpace::parse(space);
    std::mt19937_64 rng(seed);
    std::vector<json> configs;
    for (std::size_t i = 0; i < count; ++i) configs.push_back(parsed.sample(rng, 0));
    return configs;
}

} // namespace

TEST_CASE("space: sample_from power of randint gives integer powers of two with upper excluded") {
    std::set<std::int64_t> seen;
    for (const json &value : draw({{"sample_from", "2 ** randint(2, 9)"}}, 700)) {
        REQUIRE(value.is_number_integer());
        seen.insert(value.get<std::int64_t>());
    }
    CHECK(seen == std::set<std::int64_t>{4, 8, 16, 32, 64, 128, 256});
}

TEST_CASE("space: sample_from random functions draw fresh values on every evaluation") {
    std::set<std::int64_t> seen;
    for (const json &value : draw({{"sample_from", "randint(0, 1000000)"}}, 50)) seen.insert(value.get<std::int64_t>());
    CHECK(seen.size() > 40); // not folded into one constant

    for (const json &value : draw({{"sample_from", "uniform(2, 3)"}}, 500)) {
        REQUIRE(value.is_number_float());
        REQUIRE(value.get<double>() >= 2.0);
        REQUIRE(value.get<double>() < 3.0);
    }
    for (const json &value : draw({{"sample_from", "loguniform(1e-3, 1)"}}, 500)) {
        REQUIRE(value.get<double>() >= 1e-3);
        REQUIRE(value.get<double>() < 1.0);
    }
    std::set<std::int64_t> choices;
    for (const json &value : draw({{"sample_from", "choice(1, 10, 100)"}}, 300)) choices.insert(value.get<std::int64_t>());
    CHECK(choices == std::set<std::int64_t>{1, 10, 100});
}

TEST_CASE("space: sample_from randn takes no arguments or a mean and sd") {
    const auto standard = as_doubles(draw({{"sample_from", "randn()"}}, 5000));
    CHECK(mean_of(standard) == Approx(0.0).margin(0.06));
    CHECK(variance_of(standard) == Approx(1.0).margin(0.08));
    const auto shifted = as_doubles(draw({{"sample_from", "randn(100, 0.5) + randn( )"}}, 5000));
    CHECK(mean_of(shifted) == Approx(100.0).margin(0.06));
    CHECK(variance_of(shifted) == Approx(1.25).margin(0.1));
}

TEST_CASE("space: sample_from returns integers for integral results and floats otherwise") {
    CHECK(draw({{"sample_from", "6 / 2"}}, 1).front() == json(3));
    CHECK(draw({{"sample_from", "6 / 2"}}, 1).front().is_number_integer());
    CHECK(draw({{"sample_from", "7 / 2"}}, 1).front().is_number_float());
    CHECK(draw({{"sample_from", "sqrt(16) + floor(2.7) + ceil(0.2)"}}, 1).front() == json(7));
    CHECK(draw({{"sample_from", "_pi"}}, 1).front().get<double>() == Approx(3.14159265));
}

TEST_CASE("space: sample_from reads top-level parameters by name") {
    for (const json &config : draw_configs({{"a", {{"randint", {1, 5}}}}, {"b", {{"sample_from", "a * 10"}}}}, 50)) {
        CHECK(config["b"] == json(config["a"].get<std::int64_t>() * 10));
    }
}

TEST_CASE("space: sample_from reads nested parameters by dotted key path") {
    const json space = {{"model", {{"l1", {{"choice", {16, 32, 64}}}}, {"l2", {{"sample_from", "model.l1 / 2"}}}}},
                        {"lr", {{"loguniform", {1e-4, 1e-1}}}},
                        {"optim", {{"scaled_lr", {{"sample_from", "lr * 10"}}}}}};
    for (const json &config : draw_configs(space, 50)) {
        CHECK(config["model"]["l2"] == json(config["model"]["l1"].get<std::int64_t>() / 2));
        CHECK(config["optim"]["scaled_lr"].get<double>() == Approx(config["lr"].get<double>() * 10));
    }
}

TEST_CASE("space: sample_from chains resolve in dependency order whatever the key order") {
    // a reads b, which reads z: a sorts first but must be evaluated last.
    const json space = {{"a", {{"sample_from", "b + 1"}}}, {"b", {{"sample_from", "z * 2"}}}, {"z", {{"uniform", {0, 1}}}}};
    for (const json &config : draw_configs(space, 50)) {
        CHECK(config["b"].get<double>() == Approx(config["z"].get<double>() * 2));
        CHECK(config["a"].get<double>() == Approx(config["b"].get<double>() + 1));
    }
}

TEST_CASE("space: sample_from reads the grid point's value") {
    const SearchSpace space = SearchSpace::parse({{"g", {{"grid_search", {1, 2, 3}}}}, {"x", {{"sample_from", "g * 100"}}}});
    std::mt19937_64 rng(3);
    for (std::size_t point = 0; point < 3; ++point) CHECK(space.sample(rng, point)["x"] == json((point + 1) * 100));
}

TEST_CASE("space: sample_from draws from the sampling call's generator") {
    const json space = {{"x", {{"sample_from", "uniform(0, 1) + randint(0, 100)"}}}};
    CHECK(draw_configs(space, 20, 5) == draw_configs(space, 20, 5));
    CHECK(draw_configs(space, 20, 5) != draw_configs(space, 20, 6));
}

TEST_CASE("space: Expression lists its references sorted and once") {
    const Expression expression = Expression::parse("b * a + model.l1 - a", "x");
    CHECK(expression.text() == "b * a + model.l1 - a");
    CHECK(expression.references() == std::vector<std::string>{"a", "b", "model.l1"});
}

TEST_CASE("space: sample_from rejects expressions that do not parse") {
    require_space_error({{"x", {{"sample_from", "2 ** randint(2,"}}}}, "x",
                        {"sample_from expression '2 ** randint(2,' does not parse"});
    require_space_error({{"x", {{"sample_from", "3 * (2"}}}}, "x", {"does not parse", "parenthesis"});
    require_space_error({{"x", {{"sample_from", "nosuchfunction(1)"}}}}, "x", {"does not parse"});
    require_space_error({{"x", {{"sample_from", "randint(1)"}}}}, "x", {"does not parse", "randint"});
    require_space_error({{"x", {{"sample_from", ""}}}}, "x", {"does not parse"});
    require_space_error({{"x", {{"sample_from", 5}}}}, "x", {"sample_from expects an expression string", "found 5"});
}

TEST_CASE("space: sample_from error positions point into the text as written") {
    // "**" becomes "^" for muParser; the reported position must still be the written one.
    try {
        SearchSpace::parse({{"x", {{"sample_from", "2 ** 3 +"}}}});
        FAIL("expected a SpaceError");
    } catch (const SpaceError &error) {
        CHECK_THAT(error.what(), Catch::Matchers::Contains("position 8"));
    }
}

TEST_CASE("space: sample_from rejects references to unknown or nested-table or non-numeric parameters") {
    require_space_error({{"a", 1}, {"x", {{"sample_from", "y * 2"}}}}, "x",
                        {"sample_from expression 'y * 2' references unknown parameter 'y'", "known: a, x"});
    require_space_error({{"model", {{"l1", 1}}}, {"x", {{"sample_from", "model * 2"}}}}, "x",
                        {"references 'model', a nested table", "such as 'model.l1'"});
    require_space_error({{"opt", "adam"}, {"x", {{"sample_from", "opt"}}}}, "x",
                        {"references 'opt', which is the constant \"adam\", not a number"});
    require_space_error({{"act", {{"choice", {"relu", 1}}}}, {"x", {{"sample_from", "act"}}}}, "x",
                        {"which is a choice with the value \"relu\", not a number"});
}

TEST_CASE("space: sample_from rejects dependency cycles and names them") {
    require_space_error({{"a", {{"sample_from", "b + 1"}}}, {"b", {{"sample_from", "a + 1"}}}}, "a",
                        {"dependency cycle: a -> b -> a"});
    require_space_error({{"a", {{"sample_from", "a * 2"}}}}, "a", {"dependency cycle: a -> a"});
    require_space_error({{"m", {{"p", {{"sample_from", "m.q + c"}}}, {"q", {{"sample_from", "m.p"}}}}},
                         {"c", {{"sample_from", "1"}}}},
                        "m.p", {"m.p -> m.q -> m.p"});
}

TEST_CASE("space: sample_from expressions that always fail are rejected when parsed") {
    require_space_error({{"x", {{"sample_from", "randint(5, 2)"}}}}, "x",
                        {"sample_from expression 'randint(5, 2)' failed: randint(5, 2) needs lower < upper"});
    require_space_error({{"x", {{"sample_from", "randint(0.5, 2)"}}}}, "x", {"needs integer bounds"});
    require_space_error({{"x", {{"sample_from", "randn(1)"}}}}, "x", {"randn takes no arguments or (mean, sd), found 1"});
    require_space_error({{"x", {{"sample_from", "randn(0, -1)"}}}}, "x", {"needs sd > 0"});
    require_space_error({{"x", {{"sample_from", "uniform(1, 1)"}}}}, "x", {"uniform(1, 1) needs lower < upper"});
    require_space_error({{"x", {{"sample_from", "loguniform(0, 1)"}}}}, "x", {"needs 0 < lower < upper"});
    require_space_error({{"x", {{"sample_from", "ln(0)"}}}}, "x", {"evaluated to an infinity, expected a finite number"});
    require_space_error({{"x", {{"sample_from", "1, 2"}}}}, "x", {"must yield one value, found 2"});
}

TEST_CASE("space: sample_from failures at sampling time name the key path") {
    // randint(0, a) fails only when a is 0, which the parse-time trial does not draw.
    const SearchSpace space = SearchSpace::parse({{"a", {{"grid_search", {3, 0}}}}, {"x", {{"sample_from", "randint(0, a)"}}}});
    std::mt19937_64 rng(1);
    CHECK(space.sample(rng, 0)["x"].get<std::int64_t>() < 3);
    try {
        space.sample(rng, 1);
        FAIL("expected a SpaceError");
    } catch (const SpaceError &error) {
        CHECK(error.key_path() == "x");
        CHECK_THAT(error.what(), Catch::Matchers::Contains("randint(0, 0) needs lower < upper"));
    }
}
