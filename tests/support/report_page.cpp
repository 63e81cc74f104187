#include "support/report_page.hpp"

#include <chrono>
#include <stdexcept>

namespace tune::test {

namespace {

// Runs in the page: each view's chart objects, the elements Chart.js laid out inside the chart
// area, and the canvas pixels actually painted.
const char *kInspect = R"js((() => {
  const painted = canvas => {
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ++n;
    return n;
  };
  const drawn = chart => {
    const area = chart.chartArea;
    let n = 0;
    chart.data.datasets.forEach((_, i) => {
      for (const element of chart.getDatasetMeta(i).data) {
        const x = element.x, y = element.y;
        if (Number.isFinite(x) && Number.isFinite(y) && x >= area.left - 1 && x <= area.right + 1 &&
            y >= area.top - 1 && y <= area.bottom + 1) ++n;
      }
    });
    return n;
  };
  // Lines: runs of points with a value, in line datasets (a null point breaks a line, so one
  // dataset can hold many curves); markers: points of scatter datasets.
  const lines = chart => chart.data.datasets.filter(d => d.type !== 'scatter').reduce((n, d) => {
    let runs = 0, inside = false;
    for (const point of d.data) {
      const has = point !== null && point.y !== null && point.y !== undefined && Number.isFinite(point.y);
      if (has && !inside) ++runs;
      inside = has;
    }
    return n + runs;
  }, 0);
  const markers = chart => chart.data.datasets.filter(d => d.type === 'scatter').reduce((n, d) => n + d.data.length, 0);
  const views = {};
  for (const [id, view] of Object.entries(window.tuneReport.views)) {
    const charts = view.charts || (view.chart ? [view.chart] : []);
    views[id] = {
      series: view.series || 0,
      datasets: charts.length ? charts[0].data.datasets.length : -1,
      drawn: charts.reduce((n, c) => n + drawn(c), 0),
      lines: charts.reduce((n, c) => n + lines(c), 0),
      markers: charts.reduce((n, c) => n + markers(c), 0),
      painted: charts.length ? Math.min(...charts.map(c => painted(c.canvas))) : -1
    };
  }
  const badge = document.querySelector('#summary .badge');
  return { ready: window.tuneReport.ready, failed: window.tuneReport.failed, views: views,
           sections: [...document.querySelectorAll('section.view')].map(s => s.id),
           table_rows: document.querySelectorAll('#trial-table tbody tr').length,
           badge: badge ? badge.textContent : '',
           draw_ms: Object.assign({ parse_data: window.tuneReport.parse_ms, ready_at: window.tuneReport.ready_ms },
                                  window.tuneReport.draw_ms) };
})())js";

} // namespace

ReportPage open_report(HeadlessBrowser &browser, const std::filesystem::path &html, double timeout_s) {
    const auto started = std::chrono::steady_clock::now();
    browser.open(html);
    ReportPage page;
    page.ready = browser.wait_until("window.tuneReport && window.tuneReport.ready", timeout_s);
    page.open_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (!page.ready) return page;
    const nlohmann::json seen = browser.evaluate(kInspect);
    page.failed_views = seen["failed"].get<std::vector<std::string>>();
    page.sections = seen["sections"].get<std::vector<std::string>>();
    page.table_rows = seen["table_rows"].get<long long>();
    page.state_badge = seen["badge"].get<std::string>();
    page.draw_ms = seen["draw_ms"];
    for (const auto &[id, view] : seen["views"].items())
        page.views[id] = {view["series"].get<long long>(),  view["datasets"].get<long long>(),
                          view["drawn"].get<long long>(),   view["lines"].get<long long>(),
                          view["markers"].get<long long>(), view["painted"].get<long long>()};
    return page;
}

} // namespace tune::test
