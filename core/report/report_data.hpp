// What the HTML report draws, computed from an experiment folder: one JSON document the page's
// script turns into charts. The heavy work happens here, once, so that the page opens fast:
// curves are downsampled, the best-so-far series and the timeline's bars are precomputed, and
// what was left out is said in "notes".
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "core/report/results_folder.hpp"

namespace tune::core {

struct ReportLimits {
    std::size_t max_curves = 2000;           // trials whose learning curve is drawn
    std::size_t curve_point_budget = 200000; // points over all drawn curves
    std::size_t max_table_rows = 10000;
    std::size_t max_timeline_bars = 20000;
    std::size_t max_cutoff_markers = 200; // per rung
};

// The report's data. Its members, each an array-heavy object the page reads by position:
//   experiment  name, metric, mode, time_attr, plugins, state ("running", "ended", or "stopped":
//               unfinished with no tune process on it), times, counts
//   notes       sentences for the page: what was downsampled or skipped
//   trials      [{name, status, category, final}], indexed by every view below
//   best        the best trial's name, value, iteration, config, evaluation and checkpoint, or null
//   curves      {series: [[trial, [x...], [y...]]], cutoffs: [[step, value]], shown, total}
//   best_so_far {wall: [[s, value, trial]], iterations: [[n, value, trial]]}
//   params      {axes: [{name, kind, min, max, labels}], rows: [[trial, [value per axis]]]}
//   timeline    {lanes: [...], bars: [[lane, start_s, end_s, trial]], span_s, busy_fraction}
//   table       {header: [...], rows: [[cell...]], shown, total}
//   lineage     {exploits: [[trial, donor, iteration, donor_iteration, changes]], spans: [[trial, first, last]]}
//               or null when no trial was exploited
nlohmann::json build_report_data(const ResultsFolder &folder, const ReportLimits &limits,
                                 const std::string &generated_at);

// Rounds to 6 significant digits, as the page shows them: a smaller file and faster parsing.
// A NaN or an infinity is null.
nlohmann::json rounded(double value);

} // namespace tune::core
