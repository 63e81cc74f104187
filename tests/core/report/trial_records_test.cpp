#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "support/file_contents.hpp"
#include "core/report/trial_records.hpp"
#include "core/state/experiment_errors.hpp"
#include "support/test_paths.hpp"

using namespace tune::core;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

void log(TrialLogFiles &records, const std::string &id, long long iteration) {
    const json result{{"loss", 1.0 / iteration}, {"training_iteration", iteration}};
    records.result(id, ResultLine(result));
}

} // namespace

TEST_CASE("trial log files: a restarted trial's logs are cut back to its checkpoint", "[records]") {
    tune::test::TempDir dir;
    const auto trial = dir.path() / "trial_00000";
    TrialLogFiles records;
    records.open("00000", trial, {{"x", 1}}, LogExtent::through(0));
    for (long long i = 1; i <= 4; ++i) log(records, "00000", i);
    records.decision("00000", 3, "PAUSE", R"({"reason":"test"})");
    records.close("00000");

    records.open("00000", trial, {{"x", 1}}, LogExtent::through(2)); // restored from the checkpoint of iteration 2
    log(records, "00000", 3);
    records.flush();
    std::istringstream lines(tune::test::read_text(trial / "result.jsonl"));
    std::vector<long long> iterations;
    for (std::string line; std::getline(lines, line);) iterations.push_back(json::parse(line)["training_iteration"]);
    CHECK(iterations == std::vector<long long>{1, 2, 3});
    CHECK(tune::test::read_text(trial / "decisions.jsonl").empty()); // the decision at 3 came after the checkpoint
    CHECK(json::parse(tune::test::read_text(trial / "params.json")) == json{{"x", 1}});
    records.close("00000");
}

TEST_CASE("trial log files: every failure is kept in error.txt", "[records]") {
    tune::test::TempDir dir;
    TrialLogFiles records;
    records.failure(dir.path(), 1, 3, "worker process 7 killed by signal 11");
    records.failure(dir.path(), 2, 3, "again, with its last output:\r\nline one\nline two");
    const std::string text = tune::test::read_text(dir.path() / "error.txt");
    CHECK_THAT(text, Contains("failure 1 at ") && Contains("after training_iteration 3: worker process 7 killed"));
    CHECK_THAT(text, Contains("failure 2 at ") && Contains(": again, with its last output:\\nline one\\nline two\n"));
    CHECK(std::count(text.begin(), text.end(), '\n') == 2); // one line per failure
}

TEST_CASE("trial log files: a folder that cannot be written is a DiskError naming it", "[records]") {
    tune::test::TempDir dir;
    std::ofstream(dir.path() / "file") << "not a folder";
    TrialLogFiles records;
    CHECK_THROWS_AS(records.open("00000", dir.path() / "file" / "trial_00000", json::object(), LogExtent::through(0)), DiskError);
    CHECK_THROWS_WITH(records.failure(dir.path() / "file", 1, 0, "x"), Contains("error.txt"));
}

TEST_CASE("trial log files: an exploited trial keeps every lineage segment and a restart cuts only its current one",
          "[records]") {
    tune::test::TempDir dir;
    const auto trial = dir.path() / "trial_00000";
    TrialLogFiles records;
    records.open("00000", trial, {{"x", 1}}, LogExtent::through(0));
    for (long long i = 1; i <= 5; ++i) log(records, "00000", i);
    records.decision("00000", 5, "CONTINUE", R"({"quantile":"lower"})");
    records.close("00000");
    // At iteration 5 it continues from trial 00001's checkpoint of iteration 3.
    records.exploit(dir.path(), trial,
                    {"00000", 5, "00001", 3, {{"x", 1}}, {{"x", 2}}, {{"x", 2.4}}, R"({"operations":{"x":"* 1.2"}})",
                     "2026-12-06T05:00:00Z", true});
    records.open("00000", trial, {{"x", 2.4}}, LogExtent{5, 1, 3});
    for (long long i = 4; i <= 6; ++i) log(records, "00000", i);
    records.decision("00000", 6, "PAUSE", "");
    records.close("00000");

    // Restarted from its own checkpoint of iteration 5, after the exploit: 5 + (5 - 3) results.
    records.open("00000", trial, {{"x", 2.4}}, LogExtent{7, 1, 5});
    records.close("00000");
    std::istringstream lines(tune::test::read_text(trial / "result.jsonl"));
    std::vector<long long> iterations;
    for (std::string line; std::getline(lines, line);) iterations.push_back(json::parse(line)["training_iteration"]);
    CHECK(iterations == std::vector<long long>{1, 2, 3, 4, 5, 4, 5});
    std::istringstream decisions(tune::test::read_text(trial / "decisions.jsonl"));
    std::vector<json> rows;
    for (std::string line; std::getline(decisions, line);) rows.push_back(json::parse(line));
    REQUIRE(rows.size() == 2); // the PAUSE at 6 came after the checkpoint
    CHECK(rows[1]["decision"] == "EXPLOIT");
    CHECK(rows[1]["training_iteration"] == 5);
    CHECK(rows[1]["detail"]["donor"] == "00001");
    CHECK(rows[1]["detail"]["donor_iteration"] == 3);
    CHECK(rows[1]["detail"]["old_config"] == json{{"x", 1}});
    CHECK(rows[1]["detail"]["new_config"] == json{{"x", 2.4}});
    CHECK(rows[1]["detail"]["operations"] == json{{"x", "* 1.2"}});

    // Restarted before the exploit was saved: the EXPLOIT row and its segment go.
    records.open("00000", trial, {{"x", 1}}, LogExtent::through(5));
    records.close("00000");
    CHECK(tune::test::read_text(trial / "result.jsonl").find("\"training_iteration\":6") == std::string::npos);
    CHECK(tune::test::read_text(trial / "decisions.jsonl").find("EXPLOIT") == std::string::npos);
}

TEST_CASE("trial log files: exploits write Ray's policy logs, a trial's carrying its donor's", "[records]") {
    tune::test::TempDir dir;
    TrialLogFiles records;
    records.exploit(dir.path(), dir.path() / "trial_00000",
                    {"00000", 4, "00001", 4, {{"lr", 0.1}}, {{"lr", 0.01}}, {{"lr", 0.012}}, "", "t1", true});
    records.exploit(dir.path(), dir.path() / "trial_00002",
                    {"00002", 8, "00000", 8, {{"lr", 0.3}}, {{"lr", 0.012}}, {{"lr", 0.0096}}, "", "t2", true});
    records.exploit(dir.path(), dir.path() / "trial_00003",
                    {"00003", 8, "00001", 8, {{"lr", 0.2}}, {{"lr", 0.01}}, {{"lr", 0.008}}, "", "t3", false});
    const json first = json::array({"00000", "00001", 4, 4, {{"lr", 0.01}}, {{"lr", 0.012}}});
    const json second = json::array({"00002", "00000", 8, 8, {{"lr", 0.012}}, {{"lr", 0.0096}}});
    CHECK(tune::test::read_text(dir.path() / "pbt_global.txt") == first.dump() + "\n" + second.dump() + "\n"); // not log_config's
    CHECK(tune::test::read_text(dir.path() / "pbt_policy_00000.txt") == first.dump() + "\n");
    CHECK(tune::test::read_text(dir.path() / "pbt_policy_00002.txt") == first.dump() + "\n" + second.dump() + "\n");
    CHECK_FALSE(std::filesystem::exists(dir.path() / "pbt_policy_00003.txt"));
    CHECK(tune::test::read_text(dir.path() / "trial_00003" / "decisions.jsonl").find("EXPLOIT") != std::string::npos);
}
