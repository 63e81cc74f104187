// The trial table shown while an experiment runs, at its end, and by `tune results`.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tune/types.h"

namespace tune::core {

struct TrialRow {
    std::string name;   // "trial_00007"
    std::string status; // "RUNNING", ...
    nlohmann::json config;
    nlohmann::json last_result; // null if none yet
};

// The trial table's cells as text, the same columns render_trial_table draws (the HTML
// report shows them too): name, status, loc, every config parameter, iter, total time and metrics.
struct TrialTableCells {
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};
TrialTableCells trial_table_cells(const std::vector<const TrialRow *> &rows, const std::string &metric);

// Renders rows as an aligned text table: name, status, loc (node:pid, when results carry
// them), every config parameter (flattened "a/b"), then iter, total time, the metric and up to two other numeric metrics.
// max_rows > 0 keeps RUNNING rows and then the best rows by metric, and says how many
// were left out.
std::string render_trial_table(const std::vector<TrialRow> &rows, const std::string &metric, tune_mode_t mode,
                               std::size_t max_rows = 0);

// Where a result was produced, as Ray's loc column shows it: "node:pid" (just the node when the
// result has no pid, "" when it has no node, e.g. before a trial's first result).
std::string result_location(const nlohmann::json &result);

// Formats a number compactly for tables: 0.0123, 1.5e-05, 512.
std::string format_number(double value);

// A JSON value as a short table cell.
std::string format_cell(const nlohmann::json &value);

} // namespace tune::core
