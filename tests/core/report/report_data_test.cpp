// What the HTML report draws, computed from experiment folders the project's writers made.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdio>
#include <limits>

#include "core/report/report_data.hpp"
#include "core/report/trial_table.hpp"
#include "core/state/experiment_lock.hpp"
#include "support/test_paths.hpp"
#include "support/report_folder_fixture.hpp"

using Catch::Matchers::Contains;
using nlohmann::json;
using tune::core::build_report_data;
using tune::core::read_results_folder;
namespace fs = std::filesystem;

namespace {

std::string trial_id(int i) {
    char id[8];
    std::snprintf(id, sizeof id, "%05d", i);
    return id;
}

// Ten trials on two workers: trial i reports loss (i + 1) / k at iterations k = 1..3, and the
// odd ones are stopped at iteration 1 by an ASHA-like scheduler that scores -loss.
fs::path ten_trials(const tune::test::TempDir &dir) {
    const fs::path experiment = dir.path() / "ten";
    tune::test::write_experiment_json(experiment);
    for (int i = 0; i < 10; ++i) {
        const bool stopped = i % 2 == 1;
        std::vector<tune::test::LoggedResult> results;
        for (int k = 1; k <= (stopped ? 1 : 3); ++k)
            results.push_back({(i + 1.0) / k, 1000.0 + 10 * i + k, 1.0, 100 + i % 2});
        std::vector<std::pair<long long, json>> stops;
        if (stopped) stops.push_back({1, {{"rung", 1}, {"cutoff", -0.75}, {"value", -(i + 1.0)}}});
        tune::test::write_trial(experiment, trial_id(i), {{"lr", 0.001 * (i + 1)}, {"act", i < 5 ? "relu" : "tanh"}},
                                results, stops);
    }
    return experiment;
}

json report_of(const fs::path &experiment, tune::core::ReportLimits limits = {}) {
    return build_report_data(read_results_folder(experiment), limits, "2026-12-06T00:00:00Z");
}

} // namespace

TEST_CASE("report data: trials, categories and the best trial", "[report]") {
    tune::test::TempDir dir;
    const json data = report_of(ten_trials(dir));
    REQUIRE(data["trials"].size() == 10);
    CHECK(data["trials"][0]["category"] == "running"); // no summary.json, not done
    CHECK(data["trials"][1]["category"] == "stopped early");
    CHECK(data["trials"][1]["final"] == 2.0);
    // Trial 0 ends at 1/3: the best.
    CHECK(data["best"]["name"] == "trial_00000");
    CHECK(data["best"]["value"].get<double>() == Approx(1.0 / 3));
    CHECK(data["experiment"]["state"] == "stopped"); // unfinished, and no tune process holds it
    CHECK(data["experiment"]["result_count"] == 20);
    CHECK(data["notes"].empty());
}

TEST_CASE("report data: an unfinished experiment whose folder a tune process holds is running", "[report]") {
    tune::test::TempDir dir;
    const fs::path experiment = ten_trials(dir);
    tune::core::ExperimentLock lock(experiment); // as tune run holds it
    CHECK(report_of(experiment)["experiment"]["state"] == "running");
}

TEST_CASE("report data: every curve, and the cutoffs in the metric's units", "[report]") {
    tune::test::TempDir dir;
    const json curves = report_of(ten_trials(dir))["curves"];
    CHECK(curves["x_label"] == "training_iteration");
    REQUIRE(curves["series"].size() == 10);
    CHECK(curves["series"][0][1] == json::array({1, 2, 3}));
    CHECK(curves["series"][1][2] == json::array({2.0}));
    // The decisions' value is -loss: the cutoff -0.75 is drawn at loss 0.75, once per stop.
    REQUIRE(curves["cutoffs"].size() == 5);
    CHECK(curves["cutoffs"][0] == json::array({1, 0.75}));
}

TEST_CASE("report data: curves beyond the limits are chosen and downsampled, and the page is told", "[report]") {
    tune::test::TempDir dir;
    const fs::path experiment = dir.path() / "long";
    tune::test::write_experiment_json(experiment);
    for (int i = 0; i < 6; ++i) {
        std::vector<tune::test::LoggedResult> results;
        for (int k = 1; k <= 100; ++k) results.push_back({(i + 1) + 1.0 / k, 1000.0 + k});
        tune::test::write_trial(experiment, trial_id(i), {{"lr", 0.01}}, results);
    }
    tune::core::ReportLimits limits;
    limits.max_curves = 4;
    limits.curve_point_budget = 80; // 20 points a curve
    const json data = report_of(experiment, limits);
    const json &series = data["curves"]["series"];
    REQUIRE(series.size() == 4);
    CHECK(series[0][0] == 0); // the two best (lowest loss) are always drawn
    CHECK(series[1][0] == 1);
    for (const auto &s : series) {
        CHECK(s[1].size() == 20);
        CHECK(s[1].front() == 1); // first and last kept
        CHECK(s[1].back() == 100);
    }
    CHECK(data["curves"]["shown"] == 4);
    CHECK(data["curves"]["total"] == 6);
    REQUIRE(data["notes"].size() == 2);
    CHECK_THAT(data["notes"][0].get<std::string>(), Contains("4 of 6 trials are drawn"));
    CHECK_THAT(data["notes"][1].get<std::string>(), Contains("downsampled to 20 points"));
}

TEST_CASE("report data: best so far improves only, against wall time and total iterations", "[report]") {
    tune::test::TempDir dir;
    const json best = report_of(ten_trials(dir))["best_so_far"];
    const json &wall = best["wall"], &iterations = best["iterations"];
    REQUIRE(wall.size() >= 2);
    for (std::size_t k = 1; k < wall.size(); ++k) {
        CHECK(wall[k][0] >= wall[k - 1][0]);
        CHECK(wall[k][1] <= wall[k - 1][1]);
    }
    CHECK(wall[0][0] == 1.0); // the first result ended 1 s after the first trial started
    CHECK(wall.back()[1].get<double>() == Approx(1.0 / 3));
    CHECK(iterations.back()[0] == 20); // every result, the last point at the end
    CHECK(iterations.back()[2] == 9);  // the last result's trial
}

TEST_CASE("report data: parameter axes by kind, the metric last", "[report]") {
    tune::test::TempDir dir;
    const json params = report_of(ten_trials(dir))["params"];
    const json &axes = params["axes"];
    REQUIRE(axes.size() == 3);
    CHECK(axes[0]["name"] == "act");
    CHECK(axes[0]["kind"] == "category");
    CHECK(axes[0]["labels"] == json::array({"relu", "tanh"}));
    CHECK(axes[1]["name"] == "lr");
    CHECK(axes[1]["kind"] == "log"); // loguniform in the search space, though it spans a decade
    CHECK(axes[2]["name"] == "loss");
    CHECK(axes[2]["metric"] == true);
    REQUIRE(params["rows"].size() == 10);
    CHECK(params["rows"][7] == json::array({7, json::array({1, 0.008, 8.0})}));
}

TEST_CASE("report data: the timeline has a bar per run on its worker", "[report]") {
    tune::test::TempDir dir;
    const json timeline = report_of(ten_trials(dir))["timeline"];
    CHECK(timeline["lanes"] == json::array({"localhost:100", "localhost:101"}));
    REQUIRE(timeline["bars"].size() == 10); // each trial's results touch: one bar each
    CHECK(timeline["bars"][0] == json::array({0, 0.0, 3.0, 0}));
    CHECK(timeline["bars"][1] == json::array({1, 10.0, 11.0, 1}));
    CHECK(timeline["span_s"] == 91.0);
    CHECK(timeline["busy_fraction"].get<double>() == Approx(20.0 / (2 * 91.0)).epsilon(1e-5));
}

TEST_CASE("report data: the table has tune results' columns and lineage is absent without exploits", "[report]") {
    tune::test::TempDir dir;
    const json data = report_of(ten_trials(dir));
    const json &table = data["table"];
    CHECK(table["header"][0] == "Trial");
    CHECK(table["header"][1] == "Status");
    CHECK(table["rows"].size() == 10);
    CHECK(table["rows"][3][0] == "trial_00003");
    CHECK(data["lineage"].is_null());
}

TEST_CASE("report data: numbers are rounded to 6 significant digits, and NaN is null", "[report]") {
    CHECK(tune::core::rounded(0.123456789) == 0.123457);
    CHECK(tune::core::rounded(123456789.0) == 123457000.0);
    CHECK(tune::core::rounded(std::numeric_limits<double>::quiet_NaN()).is_null());
    CHECK(tune::core::rounded(std::numeric_limits<double>::infinity()).is_null());
}
