// tune_report_page: opens an HTML report in headless Chromium with the browser test's code
// (support/report_page.hpp), prints what it drew as JSON, and saves a full-page screenshot.
// The README's screenshot and bench/report's page timings come from it.
//
//   tune_report_page REPORT.html [--screenshot OUT.png] [--ready EXPR] [--width W]
//
// --ready EXPR waits for a JavaScript expression instead of the tune report's own ready flag
// (e.g. another tool's page, for a benchmark beside it). Exits 1 on a console error or a view
// that failed, 2 on bad arguments.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "support/headless_browser.hpp"
#include "support/report_page.hpp"

int main(int argc, char **argv) {
    std::string html, screenshot, ready;
    tune::test::BrowserOptions options;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "tune_report_page: " << arg << " needs a value\n";
                std::exit(2);
            }
            return argv[++i];
        };
        if (arg == "--screenshot") screenshot = value();
        else if (arg == "--ready") ready = value();
        else if (arg == "--width") options.width = std::atoi(value().c_str());
        else if (html.empty() && arg.rfind("--", 0) != 0) html = arg;
        else {
            std::cerr << "tune_report_page: unexpected argument '" << arg << "'\n"
                      << "usage: tune_report_page REPORT.html [--screenshot OUT.png] [--ready EXPR] [--width W]\n";
            return 2;
        }
    }
    if (html.empty()) {
        std::cerr << "usage: tune_report_page REPORT.html [--screenshot OUT.png] [--ready EXPR] [--width W]\n";
        return 2;
    }
    try {
        tune::test::HeadlessBrowser browser(options);
        nlohmann::json out;
        if (ready.empty()) {
            const auto page = tune::test::open_report(browser, html);
            out = {{"open_s", page.open_s}, {"ready", page.ready}, {"failed_views", page.failed_views},
                   {"table_rows", page.table_rows}, {"draw_ms", page.draw_ms}};
            for (const auto &[id, view] : page.views)
                out["views"][id] = {{"series", view.series}, {"datasets", view.datasets},
                                    {"drawn_points", view.drawn_points}, {"lines", view.lines},
                                    {"markers", view.markers}, {"painted_pixels", view.painted_pixels}};
        } else {
            const auto started = std::chrono::steady_clock::now();
            browser.open(html);
            const bool done = browser.wait_until(ready, 120);
            out = {{"open_s", std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count()},
                   {"ready", done}};
        }
        for (const auto &error : browser.errors()) out["errors"].push_back(error.kind + ": " + error.text);
        if (!screenshot.empty()) browser.save_screenshot(screenshot, true);
        std::cout << out.dump(2) << "\n";
        const bool clean = out["ready"] == true && !out.contains("errors") &&
                           (!out.contains("failed_views") || out["failed_views"].empty());
        return clean ? 0 : 1;
    } catch (const std::exception &e) {
        std::cerr << "tune_report_page: " << e.what() << "\n";
        return 1;
    }
}
