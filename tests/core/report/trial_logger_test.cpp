#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "support/file_contents.hpp"
#include "core/report/trial_logger.hpp"
#include "support/test_paths.hpp"

using namespace tune::core;
using nlohmann::json;

namespace {
// Through both paths a result can take: read from its text (flat results), or as a document.
void log_one(TrialLogger &logger, const json &result, bool as_text = true) {
    if (as_text) logger.log_result(ResultLine::from_text(result.dump()));
    else logger.log_result(ResultLine(result));
}

} // namespace

TEST_CASE("trial logger: params.json, result.jsonl, progress.csv and decisions.jsonl", "[logger]") {
    tune::test::TempDir dir;
    const auto trial = dir.path() / "trial_00000";
    {
        TrialLogger logger(trial, {{"lr", 0.1}, {"model", {{"l1", 64}}}});
        log_one(logger, {{"loss", 0.5}, {"training_iteration", 1}, {"extra", {{"a", 1}}}});
        log_one(logger, {{"loss", 0.25}, {"training_iteration", 2}, {"note", "x,\"y\""}});
        logger.log_decision(2, "STOP", R"({"cutoff":0.3})");
        logger.log_decision(3, "CONTINUE", "");
    }
    CHECK(json::parse(tune::test::read_text(trial / "params.json")) == json{{"lr", 0.1}, {"model", {{"l1", 64}}}});
    CHECK(tune::test::read_text(trial / "result.jsonl") ==
          "{\"extra\":{\"a\":1},\"loss\":0.5,\"training_iteration\":1}\n"
          "{\"loss\":0.25,\"note\":\"x,\\\"y\\\"\",\"training_iteration\":2}\n");
    // The first result fixes the columns (nested keys flattened); later keys are dropped.
    CHECK(tune::test::read_text(trial / "progress.csv") == "extra/a,loss,training_iteration\n1,0.5,1\n,0.25,2\n");
    std::istringstream decisions(tune::test::read_text(trial / "decisions.jsonl"));
    std::string line;
    REQUIRE(std::getline(decisions, line));
    CHECK(json::parse(line) == json{{"training_iteration", 2}, {"decision", "STOP"}, {"detail", {{"cutoff", 0.3}}}});
    REQUIRE(std::getline(decisions, line));
    CHECK(json::parse(line) == json{{"training_iteration", 3}, {"decision", "CONTINUE"}, {"detail", json::object()}});

    // A restarted trial appends under the existing header.
    {
        TrialLogger logger(trial, {{"lr", 0.1}});
        log_one(logger, {{"loss", 0.2}, {"training_iteration", 3}, {"extra", {{"a", 2}}}});
    }
    CHECK(tune::test::read_text(trial / "progress.csv") == "extra/a,loss,training_iteration\n1,0.5,1\n,0.25,2\n2,0.2,3\n");
}

TEST_CASE("trial logger: no decisions, no decisions.jsonl", "[logger]") {
    tune::test::TempDir dir;
    {
        TrialLogger logger(dir.path() / "trial", json::object());
        log_one(logger, {{"loss", 1.0}});
        logger.flush();
    }
    CHECK(std::filesystem::exists(dir.path() / "trial" / "result.jsonl"));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "trial" / "decisions.jsonl"));
}

TEST_CASE("trial logger: csv fields are quoted when needed", "[logger]") {
    CHECK(csv_field(json("plain")) == "plain");
    CHECK(csv_field(json("a,b")) == "\"a,b\"");
    CHECK(csv_field(json("say \"hi\"")) == "\"say \"\"hi\"\"\"");
    CHECK(csv_field(json(1.5)) == "1.5");
    CHECK(csv_field(json()) == "");
}

TEST_CASE("trial logger: an unwritable folder is a clear error", "[logger]") {
    tune::test::TempDir dir;
    std::ofstream(dir.path() / "file") << "x";
    CHECK_THROWS_WITH(TrialLogger(dir.path() / "file" / "trial", json::object()),
                      Catch::Contains("cannot create trial folder"));
}

TEST_CASE("trial logger: a flat result read from its text gives the CSV row a document gives", "[logger]") {
    tune::test::TempDir dir;
    const std::vector<json> results = {
        {{"loss", 0.5}, {"name", "a,b"}, {"ok", true}, {"none", nullptr}, {"n", 3}, {"training_iteration", 1}},
        {{"training_iteration", 2}, {"loss", 0.25}, {"name", "say \"hi\""}, {"ok", false}, {"n", -4}},
        {{"loss", 1e-5}, {"training_iteration", 3}}, // columns missing: empty cells
    };
    for (bool as_text : {true, false}) {
        const auto trial = dir.path() / (as_text ? "text" : "document");
        TrialLogger logger(trial, json::object());
        for (const auto &result : results) log_one(logger, result, as_text);
    }
    const std::string from_text = tune::test::read_text(dir.path() / "text" / "progress.csv");
    CHECK(from_text == tune::test::read_text(dir.path() / "document" / "progress.csv"));
    CHECK(from_text == "loss,n,name,none,ok,training_iteration\n"
                       "0.5,3,\"a,b\",,true,1\n"
                       "0.25,-4,\"say \"\"hi\"\"\",,false,2\n"
                       "1e-05,,,,,3\n");
}
