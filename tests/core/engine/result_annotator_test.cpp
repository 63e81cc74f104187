#include <catch2/catch.hpp>

#include "core/engine/result_annotator.hpp"

using namespace tune::core;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {
const HostFields fields{3, 0.5, 1.5, 2, 1.8e9, "00007"};
}

TEST_CASE("result annotator: the host's fields are appended to the trainable's own text", "[annotator]") {
    ResultAnnotator annotator(R"({"loss": 0.25, "acc": 0.9})", fields);
    CHECK(annotator.result()["training_iteration"] == 3);
    CHECK(annotator.result()["loss"] == 0.25);
    const AnnotatedResult result = annotator.finish(false);
    // The trainable's text stays as it was written (its spacing too); the host's fields follow.
    CHECK(result.text.rfind(R"({"loss": 0.25, "acc": 0.9,)", 0) == 0);
    CHECK(json::parse(result.text) == result.value);
    CHECK(result.value == json{{"loss", 0.25},
                               {"acc", 0.9},
                               {"training_iteration", 3},
                               {"time_this_iter_s", 0.5},
                               {"time_total_s", 1.5},
                               {"iterations_since_restore", 2},
                               {"timestamp", 1.8e9},
                               {"trial_id", "00007"},
                               {"done", false}});
}

TEST_CASE("result annotator: an empty object gets only the host's fields", "[annotator]") {
    const AnnotatedResult result = ResultAnnotator(" {} ", fields).finish(true);
    CHECK(json::parse(result.text) == result.value);
    CHECK(result.value["done"] == true);
    CHECK(result.value.size() == 7);
}

TEST_CASE("result annotator: the host's value wins over a trainable's own host field or done", "[annotator]") {
    for (const std::string text : {R"({"loss":1,"training_iteration":99})", R"({"loss":1,"done":true})"}) {
        INFO(text);
        ResultAnnotator annotator(text, fields);
        const AnnotatedResult result = annotator.finish(false);
        CHECK(json::parse(result.text) == result.value); // serialised whole, no duplicate key
        CHECK(result.value["training_iteration"] == 3);
        CHECK(result.value["done"] == false);
    }
    // The trainable's own "done" is still readable before finish, for the stop criteria.
    CHECK(ResultAnnotator(R"({"done":true})", fields).result()["done"] == true);
}

TEST_CASE("result annotator: text that is not a JSON object is an InvalidResult naming the problem", "[annotator]") {
    CHECK_THROWS_WITH(ResultAnnotator("{\"loss\": oops", fields), Contains("step returned invalid JSON"));
    CHECK_THROWS_WITH(ResultAnnotator("[1, 2]", fields), Contains("not an object"));
    CHECK_THROWS_AS(ResultAnnotator("", fields), InvalidResult);
}
