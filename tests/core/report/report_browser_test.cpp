// The HTML report of real sample runs, rendered in headless Chromium: no console error, no
// request beyond the file itself, and every view drew its data, counted through Chart.js.
// Screenshots go to <build>/report-screenshots/.
#include <catch2/catch.hpp>

#include <fstream>
#include <optional>

#include "core/state/experiment_lock.hpp"
#include "support/headless_browser.hpp"
#include "support/file_contents.hpp"
#include "support/report_page.hpp"
#include "support/test_paths.hpp"

using Catch::Matchers::Contains;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// Runs a sample experiment through the real binary into dir; returns its folder.
fs::path run_sample(const std::string &sample, const std::string &name, const tune::test::TempDir &dir) {
    const auto result = tune::test::run_tune(
        {"run", (tune::test::source_dir() / "samples" / "experiments" / sample).string(), "--progress", "quiet", "--set",
         "experiment.results_dir=\"" + dir.path().string() + "\""});
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
    CHECK_THAT(result.out, Contains("Report: "));
    return dir.path() / name;
}

tune::test::HeadlessBrowser start_browser() {
    INFO("the report's tests need a headless browser: install chromium (scripts/install-deps.sh does) or set "
         "TUNE_CHROMIUM to one");
    REQUIRE(tune::test::HeadlessBrowser::available());
    return tune::test::HeadlessBrowser();
}

void require_clean(const tune::test::HeadlessBrowser &browser, const fs::path &html) {
    for (const auto &error : browser.errors()) FAIL_CHECK(error.kind << ": " << error.text << " (" << error.url << ")");
    const std::string page_url = "file://" + fs::absolute(html).lexically_normal().string();
    for (const auto &url : browser.requested_urls()) CHECK(url == page_url); // nothing but the page itself
}

void save_screenshot(tune::test::HeadlessBrowser &browser, const std::string &name) {
    const fs::path folder = tune::test::binary_dir() / "report-screenshots";
    fs::create_directories(folder);
    browser.save_screenshot(folder / (name + ".png"), true);
    CHECK(fs::file_size(folder / (name + ".png")) > 10000);
}

void check_drew(const tune::test::ReportPage &page, const std::string &view, long long series) {
    INFO("view " << view);
    REQUIRE(page.views.count(view));
    const auto &drawn = page.views.at(view);
    CHECK(drawn.series == series);
    if (drawn.datasets >= 0) {
        CHECK(drawn.drawn_points > 0);
        CHECK(drawn.painted_pixels > 1000);
    }
}

} // namespace

TEST_CASE("report in a browser: the ASHA sample's views draw every trial with no console error", "[browser]") {
    tune::test::TempDir dir;
    const fs::path experiment = run_sample("curve_asha.toml", "curve_asha", dir);
    const json summary = tune::test::read_json(experiment / "summary.json");
    const long long trials = static_cast<long long>(summary["trials"].size());
    long long stopped = 0, with_results = 0;
    for (const auto &trial : summary["trials"]) {
        stopped += trial["stop_reason"].get<std::string>().rfind("stopped by scheduler", 0) == 0;
        with_results += trial["training_iteration"].get<long long>() > 0;
    }
    REQUIRE(stopped > 0); // ASHA stopped some: the cutoffs are drawn

    auto browser = start_browser();
    const auto page = tune::test::open_report(browser, experiment / "report.html");
    REQUIRE(page.ready);
    require_clean(browser, experiment / "report.html");
    CHECK(page.failed_views.empty());
    CHECK(page.sections == std::vector<std::string>{"view-best", "view-curves", "view-best-so-far", "view-params",
                                                    "view-timeline", "view-table"});
    CHECK(page.state_badge == "ended");
    CHECK(browser.evaluate("document.title") == "tune report: curve_asha");
    check_drew(page, "curves", trials);
    CHECK(page.views.at("curves").lines == trials); // a curve per trial
    CHECK(page.views.at("curves").markers > 0);     // and the rung cutoffs
    check_drew(page, "best-so-far", 2);
    check_drew(page, "params", trials);
    CHECK(page.views.at("params").lines == trials);
    CHECK(page.views.at("timeline").series >= with_results); // a bar at least per trial that ran
    CHECK(page.views.at("timeline").drawn_points == page.views.at("timeline").series);
    check_drew(page, "table", trials);
    CHECK(page.table_rows == trials);
    save_screenshot(browser, "curve_asha");
}

TEST_CASE("report in a browser: the PBT sample's lineage draws every exploit", "[browser]") {
    tune::test::TempDir dir;
    const fs::path experiment = run_sample("noisy_quadratic_pbt.toml", "noisy_quadratic_pbt", dir);
    long long exploits = 0;
    const json summary = tune::test::read_json(experiment / "summary.json");
    for (const auto &trial : summary["trials"]) exploits += static_cast<long long>(trial["lineage"].size());
    REQUIRE(exploits > 0);

    auto browser = start_browser();
    const auto page = tune::test::open_report(browser, experiment / "report.html");
    REQUIRE(page.ready);
    require_clean(browser, experiment / "report.html");
    CHECK(page.failed_views.empty());
    check_drew(page, "lineage", exploits);
    CHECK(page.views.at("lineage").datasets == 2); // the trials' spans and the exploits
    CHECK(page.views.at("lineage").lines == static_cast<long long>(summary["trials"].size()) + exploits);
    save_screenshot(browser, "noisy_quadratic_pbt");
}

TEST_CASE("report in a browser: an unfinished experiment's report says whether it runs", "[browser]") {
    tune::test::TempDir dir;
    const fs::path experiment = run_sample("curve_asha.toml", "curve_asha", dir);
    // As while it runs: no final summary.json yet, and a trial mid-line.
    fs::remove(experiment / "summary.json");
    std::ofstream(experiment / "trial_00000" / "result.jsonl", std::ios::app) << "{\"loss\": 0.1, \"traini";
    auto browser = start_browser();
    for (const bool held : {true, false}) {
        INFO("a tune process holds the folder: " << held);
        {
            std::optional<tune::core::ExperimentLock> lock;
            if (held) lock.emplace(experiment); // as tune run holds it
            const auto result = tune::test::run_tune({"report", experiment.string()});
            REQUIRE(result.exit_code == 0);
            CHECK(result.err.empty()); // a torn last line is no problem
        }
        const auto page = tune::test::open_report(browser, experiment / "report.html");
        REQUIRE(page.ready);
        require_clean(browser, experiment / "report.html");
        CHECK(page.state_badge == (held ? "running" : "stopped"));
        CHECK(page.failed_views.empty());
        CHECK(page.views.at("curves").drawn_points > 0);
    }
}

TEST_CASE("report in a browser: clicking a column sorts the trial table", "[browser]") {
    tune::test::TempDir dir;
    const fs::path experiment = run_sample("curve_asha.toml", "curve_asha", dir);
    auto browser = start_browser();
    REQUIRE(tune::test::open_report(browser, experiment / "report.html").ready);
    const json sorted = browser.evaluate(R"js((() => {
      const headers = [...document.querySelectorAll('#trial-table th')];
      const loss = headers.findIndex(th => th.textContent === 'loss');
      headers[loss].click();
      const column = [...document.querySelectorAll('#trial-table tbody tr')].map(r => Number(r.children[loss].textContent));
      return { column: column, best: document.querySelector('#trial-table tbody tr').classList.contains('best-row') };
    })())js");
    const auto column = sorted["column"].get<std::vector<double>>();
    REQUIRE(column.size() > 2);
    CHECK(std::is_sorted(column.begin(), column.end()));
    CHECK(sorted["best"] == true); // ascending loss: the best trial first
}
