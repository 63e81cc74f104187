// The HTML report opened in headless Chromium, and what its views drew, read through Chart.js's
// own objects: the checks of tests/core/report/report_browser_test.cpp, the benchmark's page
// timing (bench/report) and the screenshot tool share them.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "support/headless_browser.hpp"

namespace tune::test {

struct ReportPageView {
    long long series = 0;      // what the page says it drew (trials, bars, rows)
    long long datasets = -1;   // its first chart's datasets; -1 without a chart
    long long drawn_points = 0; // chart elements laid out inside their chart area
    long long lines = 0;        // runs of points with a value in line datasets (a null breaks a line)
    long long markers = 0;      // points of scatter datasets (e.g. rung cutoffs)
    long long painted_pixels = -1; // non-transparent pixels of its least painted canvas
};

struct ReportPage {
    double open_s = 0.0; // from navigation until the page's script had drawn every view
    bool ready = false;
    std::vector<std::string> failed_views;
    std::vector<std::string> sections; // the views' section ids, in page order
    std::map<std::string, ReportPageView> views;
    long long table_rows = 0;
    std::string state_badge; // "running" or "ended"
    nlohmann::json draw_ms;  // milliseconds each view took to draw, by view id
};

// Opens html in browser and waits (up to timeout_s) for the page's script to finish.
ReportPage open_report(HeadlessBrowser &browser, const std::filesystem::path &html, double timeout_s = 60);

} // namespace tune::test
