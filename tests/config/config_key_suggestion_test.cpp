// Edit distances and "did you mean" suggestions, and how TOML values read in messages.
#include <catch2/catch.hpp>

#include "core/config/key_suggestion.hpp"
#include "core/config/toml_values.hpp"

using tune::core::closest_key;
using tune::core::edit_distance;

TEST_CASE("config suggestion: edit distance counts edits and swaps", "[config]") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("", "abc") == 3);
    CHECK(edit_distance("num_sample", "num_samples") == 1);
    CHECK(edit_distance("sede", "seed") == 1); // a swap of neighbours is one edit
    CHECK(edit_distance("Seed", "seed") == 1); // case counts
    CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("config suggestion: the closest key within two edits, the first on a tie", "[config]") {
    const std::vector<std::string> keys{"cpu", "gpu", "mode", "metric"};
    CHECK(closest_key("gpus", keys) == "gpu");
    CHECK(closest_key("xpu", keys) == "cpu");
    CHECK(closest_key("mdoe", keys) == "mode");
    CHECK_FALSE(closest_key("resources", keys));
    CHECK_FALSE(closest_key("memory", keys, 1));
}

TEST_CASE("config toml: values read as TOML in messages", "[config]") {
    auto table = toml::parse(std::string_view(R"~(s = "a\"b"
i = -3
f = 1.0
g = 1e-4
inf = inf
b = false
a = [1, "x", [true]]
t = { k = 1, "odd key" = 2 }
d = 2024-01-02
)~"));
    auto text = [&](const char *key) { return tune::core::toml_value_text(*table.get(key)); };
    CHECK(text("s") == R"~("a\"b")~");
    CHECK(text("i") == "-3");
    CHECK(text("f") == "1.0");
    CHECK(text("g") == "0.0001");
    CHECK(text("inf") == "inf");
    CHECK(text("b") == "false");
    CHECK(text("a") == R"~([1, "x", [true]])~");
    CHECK(text("t") == R"~({ k = 1, "odd key" = 2 })~");
    CHECK(tune::core::describe_toml_value(*table.get("d")) == "date 2024-01-02");
    CHECK(tune::core::toml_to_json(*table.get("d")) == "2024-01-02");
    CHECK(tune::core::toml_to_json(*table.get("a")) == nlohmann::json::parse(R"~([1, "x", [true]])~"));
    CHECK(tune::core::append_key_path("search_space", "a.b") == R"~(search_space."a.b")~");
    CHECK(tune::core::append_key_path("", "plain_key-1") == "plain_key-1");
}
