// SearchSpace: nested tables, constants, grid expansion and its order, reproducibility, the
// structural validation errors, and checking configs against a space.
#include <set>
#include <stdexcept>

#include "space/space_test_support.hpp"

using namespace tune::space;
using namespace tune::space::test;

TEST_CASE("space: primitive names are listed and recognised") {
    CHECK(SearchSpace::primitive_names() ==
          std::vector<std::string>{"uniform", "quniform", "loguniform", "qloguniform", "randn", "qrandn", "randint",
                                   "qrandint", "lograndint", "qlograndint", "choice", "grid_search", "sample_from"});
    for (const std::string &name : SearchSpace::primitive_names()) CHECK(SearchSpace::is_primitive(name));
    CHECK_FALSE(SearchSpace::is_primitive("uniformly"));
    CHECK_FALSE(SearchSpace::is_primitive("base"));
    CHECK(primitive_named("qrandint") == Primitive::qrandint);
    CHECK(primitive_name(Primitive::grid_search) == "grid_search");
}

TEST_CASE("space: nested tables nest and constants are copied") {
    const json space = {{"lr", 0.1},
                        {"flag", true},
                        {"name", "run"},
                        {"dims", {1, 2, 3}},
                        {"extra", json::object()},
                        {"model", {{"act", "relu"}, {"l1", {{"randint", {2, 9}}}}, {"head", {{"size", {{"choice", {8, 16}}}}}}}}};
    const SearchSpace parsed = SearchSpace::parse(space);
    std::mt19937_64 rng(1);
    const json config = parsed.sample(rng, 0);
    CHECK(config["lr"] == 0.1);
    CHECK(config["flag"] == true);
    CHECK(config["name"] == "run");
    CHECK(config["dims"] == json({1, 2, 3}));
    CHECK(config["extra"] == json::object());
    CHECK(config["model"]["act"] == "relu");
    CHECK(config["model"]["l1"].is_number_integer());
    CHECK((config["model"]["head"]["size"] == 8 || config["model"]["head"]["size"] == 16));
    CHECK(config.size() == 6);
    CHECK(config["model"].size() == 3);
    CHECK(parsed.contains(config));
}

TEST_CASE("space: an object whose key is not a primitive is a nested table") {
    const SearchSpace parsed = SearchSpace::parse({{"x", {{"uniformly", {0, 1}}}}, {"y", {{"base", 2}}}});
    std::mt19937_64 rng(1);
    CHECK(parsed.sample(rng, 0) == json{{"x", {{"uniformly", {0, 1}}}}, {"y", {{"base", 2}}}});
}

TEST_CASE("space: parameters are sorted by key path compared key by key") {
    const SearchSpace parsed = SearchSpace::parse(
        {{"b", 1}, {"a-b", {{"uniform", {0, 1}}}}, {"a", {{"z", 1}, {"c", {{"grid_search", {1, 2}}}}}}});
    std::vector<std::string> paths;
    for (const Parameter &parameter : parsed.parameters()) paths.push_back(parameter.key_path);
    // "a.c" < "a-b" key by key ("a" < "a-b"), though '-' sorts before '.' as text.
    CHECK(paths == std::vector<std::string>{"a.c", "a.z", "a-b", "b"});
    REQUIRE(parsed.find("a.c") != nullptr);
    CHECK(parsed.find("a.c")->key == std::vector<std::string>{"a", "c"});
    CHECK(std::holds_alternative<Domain>(parsed.find("a.c")->definition));
    CHECK(std::holds_alternative<json>(parsed.find("b")->definition));
    CHECK(parsed.find("a") == nullptr);
}

TEST_CASE("space: grid_size multiplies the grid_search lengths") {
    CHECK(SearchSpace::parse({{"x", {{"uniform", {0, 1}}}}}).grid_size() == 1);
    CHECK(SearchSpace::parse(json::object()).grid_size() == 1);
    const SearchSpace parsed = SearchSpace::parse({{"a", {{"grid_search", {1, 2}}}},
                                                   {"m", {{"b", {{"grid_search", {1, 2, 3}}}}}},
                                                   {"c", {{"choice", {1, 2, 3, 4, 5}}}}});
    CHECK(parsed.grid_size() == 6);
    CHECK(parsed.grid_size(GridAxes::grid_search) == 6);
    CHECK(parsed.grid_size(GridAxes::grid_search_and_choice) == 30);
}

TEST_CASE("space: grid points run in odometer order over sorted key paths with the last fastest") {
    const SearchSpace parsed = SearchSpace::parse(
        {{"b", {{"grid_search", {1, 2}}}}, {"a", {{"grid_search", {"x", "y", "z"}}}}, {"lr", {{"uniform", {0, 1}}}}});
    const auto axes = parsed.grid_axes();
    REQUIRE(axes.size() == 2);
    CHECK(axes[0].key_path == "a");
    CHECK(axes[0].values == std::vector<json>{"x", "y", "z"});
    CHECK(axes[1].key_path == "b");

    std::mt19937_64 rng(1);
    std::vector<std::pair<json, json>> points;
    for (std::size_t i = 0; i < parsed.grid_size(); ++i) {
        const json config = parsed.sample(rng, i);
        points.emplace_back(config["a"], config["b"]);
    }
    const std::vector<std::pair<json, json>> expected{{"x", 1}, {"x", 2}, {"y", 1}, {"y", 2}, {"z", 1}, {"z", 2}};
    CHECK(points == expected);
    CHECK_THROWS_AS(parsed.sample(rng, 6), std::out_of_range);
}

TEST_CASE("space: grid_search_and_choice enumerates choice values too") {
    const SearchSpace parsed = SearchSpace::parse({{"opt", {{"choice", {"adam", "sgd"}}}}, {"bs", {{"grid_search", {16, 32}}}}});
    const auto axes = parsed.grid_axes(GridAxes::grid_search_and_choice);
    REQUIRE(axes.size() == 2);
    CHECK(axes[0].key_path == "bs");
    CHECK(axes[1].key_path == "opt");
    std::mt19937_64 rng(1);
    std::vector<json> configs;
    for (std::size_t i = 0; i < 4; ++i) configs.push_back(parsed.sample(rng, i, GridAxes::grid_search_and_choice));
    CHECK(configs == std::vector<json>{{{"bs", 16}, {"opt", "adam"}},
                                       {{"bs", 16}, {"opt", "sgd"}},
                                       {{"bs", 32}, {"opt", "adam"}},
                                       {{"bs", 32}, {"opt", "sgd"}}});
}

TEST_CASE("space: grid_point decodes an index in odometer order") {
    const std::vector<GridAxis> axes{{"a", {1, 2, 3}}, {"b", {1, 2}}};
    CHECK(grid_point_count(axes) == 6);
    CHECK(grid_point(axes, 0) == std::vector<std::size_t>{0, 0});
    CHECK(grid_point(axes, 1) == std::vector<std::size_t>{0, 1});
    CHECK(grid_point(axes, 5) == std::vector<std::size_t>{2, 1});
    CHECK(grid_point({}, 0).empty());
    CHECK_THROWS_AS(grid_point(axes, 6), std::out_of_range);
}

TEST_CASE("space: sampling is reproducible for a seed and differs between seeds") {
    const SearchSpace parsed = SearchSpace::parse({{"lr", {{"loguniform", {1e-4, 1e-1}}}},
                                                   {"bs", {{"choice", {16, 32, 64, 128}}}},
                                                   {"l1", {{"sample_from", "2 ** randint(2, 9)"}}},
                                                   {"drop", {{"quniform", {0, 0.5, 0.05}}}}});
    const auto sequence = [&](std::uint64_t seed) {
        std::mt19937_64 rng(seed);
        std::vector<json> configs;
        for (int i = 0; i < 10; ++i) configs.push_back(parsed.sample(rng, 0));
        return configs;
    };
    CHECK(sequence(42) == sequence(42));
    CHECK(sequence(42) != sequence(43));
    std::set<std::string> distinct;
    for (const json &config : sequence(42)) distinct.insert(config.dump());
    CHECK(distinct.size() == 10);
}

TEST_CASE("space: a space must be an object whose keys are plain names") {
    require_space_error(json::array(), "", {"a search space must be a JSON object, found array []"});
    require_space_error({{"a.b", 1}}, "a.b", {"key 'a.b' must be non-empty and free of '.'", "nested table"});
    require_space_error({{"m", {{"", 1}}}}, "m.", {"key '' must be non-empty"});
}

TEST_CASE("space: errors in nested tables carry the full key path") {
    require_space_error({{"model", {{"l1", {{"randint", {5, 2}}}}}}}, "model.l1", {"randint needs lower < upper"});
    require_space_error({{"model", {{"head", {{"size", {{"choice", json::array()}}}}}}}}, "model.head.size",
                        {"choice expects a non-empty array"});
}

TEST_CASE("space: violation names the parameter and what is wrong with it") {
    const SearchSpace parsed = SearchSpace::parse({{"model", {{"l1", {{"randint", {2, 9}}}}, {"act", "relu"}}},
                                                   {"lr", {{"uniform", {0, 1}}}},
                                                   {"opt", {{"choice", {"adam", "sgd"}}}},
                                                   {"bs", {{"qrandint", {16, 128, 16}}}},
                                                   {"l2", {{"sample_from", "model.l1 * 2"}}}});
    const json good = {{"model", {{"l1", 8}, {"act", "relu"}}}, {"lr", 0.5}, {"opt", "sgd"}, {"bs", 128}, {"l2", 16}};
    CHECK(parsed.violation(good) == std::nullopt);
    CHECK(parsed.contains(good));

    json extra = good;
    extra["seed"] = 3; // keys the space does not name are allowed
    CHECK(parsed.contains(extra));

    const auto violation_with = [&](const std::string &pointer, const json &value) {
        json config = good;
        config[json::json_pointer(pointer)] = value;
        return parsed.violation(config);
    };
    CHECK(violation_with("/model/l1", 9) == "model.l1: expected an integer in [2, 9), found 9");
    CHECK(violation_with("/model/l1", 8.5) == "model.l1: expected an integer, found 8.5");
    CHECK(violation_with("/model/act", "tanh") == "model.act: expected the constant \"relu\", found \"tanh\"");
    CHECK(violation_with("/lr", 1.0) == "lr: expected a number in [0.0, 1.0), found 1.0");
    CHECK(violation_with("/opt", "rmsprop") == "opt: expected one of [\"adam\",\"sgd\"], found \"rmsprop\"");
    CHECK(violation_with("/bs", 24) == "bs: expected a multiple of q 16 in [16, 128], found 24");
    CHECK(violation_with("/l2", "16") == "l2: expected a number from sample_from, found \"16\"");
    CHECK(violation_with("/model", 1) == "model.act: missing from the config");

    json missing = good;
    missing.erase("lr");
    CHECK(parsed.violation(missing) == "lr: missing from the config");
    CHECK(parsed.violation(json::array()) == "a config must be a JSON object, found array");
}

TEST_CASE("space: every sampled config lies in its space") {
    const SearchSpace parsed = SearchSpace::parse({{"u", {{"uniform", {-1, 1}}}},
                                                   {"qu", {{"quniform", {0.3, 2.9, 0.2}}}},
                                                   {"lu", {{"loguniform", {1e-5, 1e-2}}}},
                                                   {"qlu", {{"qloguniform", {1e-4, 0.1, 5e-5}}, {"base", 2}}},
                                                   {"n", {{"randn", {1, 3}}}},
                                                   {"qn", {{"qrandn", {0, 2, 0.25}}}},
                                                   {"ri", {{"randint", {-5, 5}}}},
                                                   {"qri", {{"qrandint", {-7, 20, 3}}}},
                                                   {"lri", {{"lograndint", {3, 300}}}},
                                                   {"qlri", {{"qlograndint", {2, 2000, 7}}}},
                                                   {"c", {{"choice", {"a", 2, false}}}},
                                                   {"g", {{"grid_search", {0.1, 0.01}}}},
                                                   {"sf", {{"sample_from", "ri * uniform(0, 1)"}}}});
    std::mt19937_64 rng(99);
    for (int i = 0; i < 3000; ++i) {
        const json config = parsed.sample(rng, static_cast<std::size_t>(i % 2));
        const auto problem = parsed.violation(config);
        INFO(config.dump());
        REQUIRE(problem == std::nullopt);
    }
}
