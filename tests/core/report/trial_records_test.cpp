#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "core/report/trial_records.hpp"
#include "core/state/experiment_errors.hpp"
#include "support/test_paths.hpp"

using namespace tune::core;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

std::string read(const std::filesystem::path &file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void log(TrialLogFiles &records, const std::string &id, long long iteration) {
    const json result{{"loss", 1.0 / iteration}, {"training_iteration", iteration}};
    records.result(id, ResultLine(result));
}

} // namespace

TEST_CASE("trial log files: a restarted trial's logs are cut back to its checkpoint", "[records]") {
    tune::test::TempDir dir;
    const auto trial = dir.path() / "trial_00000";
    TrialLogFiles records;
    records.open("00000", trial, {{"x", 1}}, 0);
    for (long long i = 1; i <= 4; ++i) log(records, "00000", i);
    records.decision("00000", 3, "PAUSE", R"({"reason":"test"})");
    records.close("00000");

    records.open("00000", trial, {{"x", 1}}, 2); // restored from the checkpoint of iteration 2
    log(records, "00000", 3);
    records.flush();
    std::istringstream lines(read(trial / "result.jsonl"));
    std::vector<long long> iterations;
    for (std::string line; std::getline(lines, line);) iterations.push_back(json::parse(line)["training_iteration"]);
    CHECK(iterations == std::vector<long long>{1, 2, 3});
    CHECK(read(trial / "decisions.jsonl").empty()); // the decision at 3 came after the checkpoint
    CHECK(json::parse(read(trial / "params.json")) == json{{"x", 1}});
    records.close("00000");
}

TEST_CASE("trial log files: every failure is kept in error.txt", "[records]") {
    tune::test::TempDir dir;
    TrialLogFiles records;
    records.failure(dir.path(), 1, 3, "worker process 7 killed by signal 11");
    records.failure(dir.path(), 2, 3, "again");
    const std::string text = read(dir.path() / "error.txt");
    CHECK_THAT(text, Contains("failure 1 at ") && Contains("after training_iteration 3: worker process 7 killed"));
    CHECK_THAT(text, Contains("failure 2 at ") && Contains(": again"));
}

TEST_CASE("trial log files: a folder that cannot be written is a DiskError naming it", "[records]") {
    tune::test::TempDir dir;
    std::ofstream(dir.path() / "file") << "not a folder";
    TrialLogFiles records;
    CHECK_THROWS_AS(records.open("00000", dir.path() / "file" / "trial_00000", json::object(), 0), DiskError);
    CHECK_THROWS_WITH(records.failure(dir.path() / "file", 1, 0, "x"), Contains("error.txt"));
}
