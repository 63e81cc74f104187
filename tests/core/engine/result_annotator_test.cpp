#include <catch2/catch.hpp>

#include "core/engine/result_annotator.hpp"

using namespace tune::core;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

const HostFields fields{3, 0.5, 1.5, 2, 1.8e9, "00007", "node-b", 2, 4242};

const json host_fields{{"training_iteration", 3}, {"time_this_iter_s", 0.5}, {"time_total_s", 1.5},
                       {"iterations_since_restore", 2}, {"timestamp", 1.8e9}, {"trial_id", "00007"},
                       {"node", "node-b"}, {"rank", 2}, {"pid", 4242}};

json with_host_fields(json result, bool done) {
    result.update(host_fields);
    result["done"] = done;
    return result;
}

} // namespace

TEST_CASE("result annotator: a flat result keeps its own text, and the host's fields follow", "[annotator]") {
    ResultAnnotator annotator(R"({"loss": 0.25, "acc": 0.9} )", fields);
    CHECK(annotator.number("training_iteration") == 3.0);
    CHECK(annotator.number("loss") == 0.25);
    CHECK(annotator.contains("acc"));
    CHECK_FALSE(annotator.contains("missing"));
    CHECK_FALSE(annotator.trainable_done());
    const ResultLine line = annotator.finish(false);
    CHECK(line.is_flat());
    CHECK(line.text().rfind(R"({"loss": 0.25, "acc": 0.9,"training_iteration":3,)", 0) == 0);
    CHECK(json::parse(line.text()) == with_host_fields({{"loss", 0.25}, {"acc", 0.9}}, false));
    // Its fields point into the new text, the host's included.
    CHECK(line.number("time_total_s") == 1.5);
    CHECK(line.number("acc") == 0.9);
    CHECK(line.contains("done"));
}

TEST_CASE("result annotator: an empty object gets only the host's fields", "[annotator]") {
    const ResultLine line = ResultAnnotator(" {} ", fields).finish(true);
    CHECK(json::parse(line.text()) == with_host_fields(json::object(), true));
}

TEST_CASE("result annotator: nested results take the general path with the same fields", "[annotator]") {
    const ResultLine line = ResultAnnotator(R"({"loss": 1, "extra": {"a": [1, 2]}})", fields).finish(false);
    CHECK_FALSE(line.is_flat());
    CHECK(json::parse(line.text()) == with_host_fields({{"loss", 1}, {"extra", {{"a", {1, 2}}}}}, false));
    CHECK(line.number("training_iteration") == 3.0);
}

TEST_CASE("result annotator: the host's value wins over a trainable's own host field or done", "[annotator]") {
    for (const std::string text : {R"({"loss":1,"training_iteration":99})", R"({"loss":1,"done":true})"}) {
        INFO(text);
        ResultAnnotator annotator(text, fields);
        CHECK(annotator.number("training_iteration") == 3.0);
        const ResultLine line = annotator.finish(false);
        const json value = json::parse(line.text()); // one key each, no duplicates
        CHECK(value["training_iteration"] == 3);
        CHECK(value["done"] == false);
    }
    // The trainable's own "done" is still seen before finish, by the stop criteria.
    CHECK(ResultAnnotator(R"({"done":true})", fields).trainable_done());
    CHECK_FALSE(ResultAnnotator(R"({"done":"yes"})", fields).trainable_done());
}

TEST_CASE("result annotator: a trial id or node name that needs escaping is escaped", "[annotator]") {
    HostFields odd = fields;
    odd.trial_id = "a\"b";
    const ResultLine line = ResultAnnotator(R"({"loss":1})", odd).finish(false);
    CHECK(json::parse(line.text())["trial_id"] == "a\"b");
    odd = fields;
    odd.node = "rack\\7";
    CHECK(json::parse(ResultAnnotator(R"({"loss":1})", odd).finish(false).text())["node"] == "rack\\7");
}

TEST_CASE("result annotator: where the trial ran is a host field: node, rank and pid", "[annotator]") {
    ResultAnnotator annotator(R"({"loss":1,"rank":99})", fields);
    CHECK(annotator.number("rank") == 2.0);
    CHECK(annotator.number("pid") == 4242.0);
    CHECK_FALSE(annotator.number("node")); // not a number
    const json value = json::parse(annotator.finish(false).text());
    CHECK(value["node"] == "node-b");
    CHECK(value["rank"] == 2);
    CHECK(value["pid"] == 4242);
}

TEST_CASE("result annotator: text that is not a JSON object is an InvalidResult naming the problem", "[annotator]") {
    CHECK_THROWS_WITH(ResultAnnotator("{\"loss\": oops", fields), Contains("step returned invalid JSON"));
    CHECK_THROWS_WITH(ResultAnnotator("[1, 2]", fields), Contains("not an object"));
    CHECK_THROWS_AS(ResultAnnotator("", fields), InvalidResult);
    CHECK_THROWS_AS(ResultAnnotator(R"({"a": 1} trailing)", fields), InvalidResult);
}
