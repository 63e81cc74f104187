#include <catch2/catch.hpp>

#include <random>

#include "core/report/flat_json.hpp"
#include "core/report/result_line.hpp"

using namespace tune::core;
using nlohmann::json;

namespace {

bool scans(const std::string &text) {
    std::vector<FlatField> fields;
    return scan_flat_object(text, fields);
}

// A flat scan must agree with the JSON parser: every text it accepts is valid JSON, with the
// same keys and values.
void check_agrees(const std::string &text) {
    std::vector<FlatField> fields;
    if (!scan_flat_object(text, fields)) return;
    INFO(text);
    REQUIRE(json::accept(text));
    const json document = json::parse(text);
    REQUIRE(document.is_object());
    REQUIRE(document.size() == fields.size());
    for (const FlatField &field : fields) {
        const std::string key(field.key(text));
        REQUIRE(document.contains(key));
        const json &value = document[key];
        switch (field.kind) {
        case FlatField::Kind::Number: CHECK(field_number(text, field) == value.get<double>()); break;
        case FlatField::Kind::String: CHECK(std::string(field.value(text)) == value.get<std::string>()); break;
        case FlatField::Kind::Bool: CHECK((field.value(text) == "true") == value.get<bool>()); break;
        case FlatField::Kind::Null: CHECK(value.is_null()); break;
        }
    }
}

} // namespace

TEST_CASE("flat json: plain objects scan, with every field where it is in the text", "[flat_json]") {
    const std::string text = R"( {"loss": 0.31, "acc":-1.5e-3,"name" : "adam", "ok":true, "none":null, "n":0} )";
    std::vector<FlatField> fields;
    REQUIRE(scan_flat_object(text, fields));
    REQUIRE(fields.size() == 6);
    CHECK(fields[0].key(text) == "loss");
    CHECK(fields[0].value(text) == "0.31");
    CHECK(fields[1].value(text) == "-1.5e-3");
    CHECK(fields[2].kind == FlatField::Kind::String);
    CHECK(fields[2].value(text) == "adam");
    CHECK(fields[3].kind == FlatField::Kind::Bool);
    CHECK(fields[4].kind == FlatField::Kind::Null);
    CHECK(field_number(text, fields[1]) == -1.5e-3);
    CHECK(scans("{}"));
    check_agrees(text);
}

TEST_CASE("flat json: anything else is left to the JSON parser", "[flat_json]") {
    for (const std::string text :
         {R"({"a": {"b": 1}})", R"({"a": [1, 2]})", R"({"a": "x\"y"})", R"({"a\n": 1})", "{\"a\": \"\xc3\xa9\"}",
          R"({"a": 1, "a": 2})", R"({"a": 01})", R"({"a": 1.})", R"({"a": .5})", R"({"a": 1e})", R"({"a": -})",
          R"({"a": tru})", R"({"a": 1,})", R"({"a" 1})", R"({"a": 1} x)", R"([1])", R"("a")", "", "{", R"({"a": NaN})",
          R"({"a": +1})", "{\"a\": \"tab\there\"}"}) {
        INFO(text);
        CHECK_FALSE(scans(text));
    }
}

TEST_CASE("flat json: on thousands of mutated texts, whatever scans is what the JSON parser reads", "[flat_json]") {
    const std::vector<std::string> seeds = {R"({"loss": 0.31, "accuracy": 0.9, "training_iteration": 12})",
                                            R"({"a": -0.0, "b": 1E+2, "c": "x y", "d": false, "e": null})",
                                            R"({ "k" : 123456789012345678901234567890 , "z":1e-320})"};
    const std::string alphabet = "{}[]\":,.-+eE0123456789 tfnrulasx\\";
    std::mt19937 random(20261202);
    for (int round = 0; round < 20000; ++round) {
        std::string text = seeds[random() % seeds.size()];
        const int edits = 1 + static_cast<int>(random() % 3);
        for (int e = 0; e < edits; ++e) {
            const std::size_t at = random() % (text.size() + 1);
            const char c = alphabet[random() % alphabet.size()];
            switch (random() % 3) {
            case 0: text.insert(at, 1, c); break;
            case 1: if (at < text.size()) text.erase(at, 1); break;
            default: if (at < text.size()) text[at] = c; break;
            }
        }
        check_agrees(text);
    }
}

TEST_CASE("result line: a flat line reads numbers from its text and parses only when asked", "[flat_json]") {
    ResultLine line = ResultLine::from_text(R"({"loss":0.5,"name":"x"})");
    CHECK(line.is_flat());
    CHECK(line.number("loss") == 0.5);
    CHECK_FALSE(line.number("name"));
    CHECK_FALSE(line.number("missing"));
    CHECK(line.contains("name"));
    CHECK(line.value() == json{{"loss", 0.5}, {"name", "x"}});
    ResultLine nested = ResultLine::from_text(R"({"m":{"a":1},"loss":2})");
    CHECK_FALSE(nested.is_flat());
    CHECK(nested.number("loss") == 2.0);
    CHECK_THROWS(ResultLine::from_text("not json"));
}
