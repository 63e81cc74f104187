// The page itself: self-contained, its data safe inside its script element, written atomically.
#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "support/file_contents.hpp"
#include "core/report/html_report.hpp"
#include "core/report/report_assets.hpp"
#include "support/test_paths.hpp"
#include "support/report_folder_fixture.hpp"

using Catch::Matchers::Contains;
namespace fs = std::filesystem;

TEST_CASE("html report: Chart.js and the page script are inlined, and nothing is fetched", "[report]") {
    const std::string page = tune::core::render_html_report({{"experiment", {{"name", "x"}}}});
    CHECK_THAT(page, Contains("Chart.js v3")); // Debian's chart.min.js, with its licence header
    CHECK_THAT(page, Contains(std::string(tune::core::report_assets::page_script())));
    // No element loads anything: no src= or href= attributes, no stylesheet links.
    CHECK_FALSE(std::regex_search(page, std::regex(R"(<(script|img|link|iframe)[^>]*\s(src|href)=)")));
    for (const char *marker : {"/*{{STYLE}}*/", "/*{{REPORT_JS}}*/", "/*{{CHART_JS}}*/", "{{DATA}}"})
        CHECK(page.find(marker) == std::string::npos);
}

TEST_CASE("html report: a config string cannot close the data's script element", "[report]") {
    const std::string page = tune::core::render_html_report(
        {{"experiment", {{"name", "x"}}}, {"trials", {{{"name", "</script><script>alert(1)</script>"}}}}});
    const auto data_start = page.find("id=\"tune-report-data\">");
    REQUIRE(data_start != std::string::npos);
    const auto data_end = page.find("</script>", data_start);
    const std::string data = page.substr(data_start, data_end - data_start);
    CHECK_THAT(data, Contains("\\u003c/script>\\u003cscript>alert(1)\\u003c/script>"));
    // The JSON still parses to the same string.
    const auto json_text = data.substr(data.find('>') + 1);
    CHECK(nlohmann::json::parse(json_text)["trials"][0]["name"] == "</script><script>alert(1)</script>");
}

TEST_CASE("html report: written to the experiment folder with its counts, or where asked", "[report]") {
    tune::test::TempDir dir;
    const fs::path experiment = dir.path() / "exp";
    tune::test::write_experiment_json(experiment);
    tune::test::write_trial(experiment, "00000", {{"lr", 0.01}}, {{0.9, 10}, {0.5, 11}});
    const auto file = tune::core::write_html_report(experiment);
    CHECK(file.path == experiment / "report.html");
    CHECK(file.trials == 1);
    CHECK(file.results == 2);
    CHECK(file.bytes == fs::file_size(file.path));
    CHECK_FALSE(fs::exists(experiment / "report.html.tmp"));
    CHECK_THAT(tune::test::read_text(file.path), Contains("\"name\":\"trial_00000\""));

    tune::core::HtmlReportOptions options;
    options.output = dir.path() / "elsewhere.html";
    CHECK(tune::core::write_html_report(experiment, options).path == options.output);
    CHECK(fs::exists(options.output));
}

TEST_CASE("html report: a folder it cannot write to is an error naming the file", "[report]") {
    tune::test::TempDir dir;
    const fs::path experiment = dir.path() / "exp";
    tune::test::write_experiment_json(experiment);
    tune::core::HtmlReportOptions options;
    options.output = dir.path() / "no" / "such" / "folder" / "report.html";
    CHECK_THROWS_AS(tune::core::write_html_report(experiment, options), tune::core::ReportWriteError);
    CHECK_THROWS_WITH(tune::core::write_html_report(experiment, options), Contains("cannot write") && Contains("report.html.tmp"));
}
