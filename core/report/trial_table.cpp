#include "core/report/trial_table.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include <fmt/format.h>

#include "core/report/trial_logger.hpp"

namespace tune::core {

namespace {

// Result keys the host adds; they get their own columns or none.
const std::set<std::string> kAutoKeys{"training_iteration", "time_this_iter_s", "time_total_s", "timestamp",
                                      "trial_id", "done", "iterations_since_restore", "node", "rank",
                                      "pid"};

double metric_value(const nlohmann::json &result, const std::string &metric) {
    if (!result.is_object()) return std::numeric_limits<double>::quiet_NaN();
    auto it = result.find(metric);
    return (it != result.end() && it->is_number()) ? it->get<double>() : std::numeric_limits<double>::quiet_NaN();
}

} // namespace

std::string result_location(const nlohmann::json &result) {
    if (!result.is_object() || !result.contains("node") || !result["node"].is_string()) return "";
    std::string loc = result["node"].get<std::string>();
    if (result.contains("pid") && result["pid"].is_number_integer()) loc += ":" + std::to_string(result["pid"].get<long long>());
    return loc;
}

std::string format_number(double value) {
    if (std::isnan(value)) return "nan";
    if (value == std::floor(value) && std::fabs(value) < 1e9) return fmt::format("{:.0f}", value);
    return fmt::format("{:.4g}", value);
}

std::string format_cell(const nlohmann::json &value) {
    if (value.is_null()) return "";
    if (value.is_number_integer()) return std::to_string(value.get<long long>());
    if (value.is_number()) return format_number(value.get<double>());
    if (value.is_string()) return value.get<std::string>();
    return value.dump();
}

TrialTableCells trial_table_cells(const std::vector<const TrialRow *> &rows, const std::string &metric) {
    // Columns: parameters in first-seen order, then metrics.
    std::vector<std::string> params, metrics;
    std::vector<nlohmann::json> flat_configs;
    for (const auto *row : rows) {
        nlohmann::json flat = nlohmann::json::object();
        flatten_json(row->config, "", flat);
        for (const auto &item : flat.items())
            if (std::find(params.begin(), params.end(), item.key()) == params.end()) params.push_back(item.key());
        flat_configs.push_back(std::move(flat));
    }
    metrics.push_back(metric);
    for (const auto *row : rows) {
        if (!row->last_result.is_object()) continue;
        for (const auto &item : row->last_result.items()) {
            if (metrics.size() >= 3) break;
            if (item.value().is_number() && !kAutoKeys.count(item.key()) &&
                std::find(metrics.begin(), metrics.end(), item.key()) == metrics.end())
                metrics.push_back(item.key());
        }
    }

    bool any_location = false;
    for (const auto *row : rows) any_location = any_location || !result_location(row->last_result).empty();
    std::vector<std::string> header{"Trial", "Status"};
    if (any_location) header.push_back("loc");
    header.insert(header.end(), params.begin(), params.end());
    header.push_back("iter");
    header.push_back("total time (s)");
    header.insert(header.end(), metrics.begin(), metrics.end());

    std::vector<std::vector<std::string>> cells;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const auto &row = *rows[r];
        std::vector<std::string> line{row.name, row.status};
        if (any_location) line.push_back(result_location(row.last_result));
        for (const auto &param : params) {
            auto it = flat_configs[r].find(param);
            line.push_back(it == flat_configs[r].end() ? "" : format_cell(*it));
        }
        const auto &result = row.last_result;
        auto field = [&](const std::string &key) -> std::string {
            if (!result.is_object() || !result.contains(key)) return "";
            return format_cell(result.at(key));
        };
        line.push_back(field("training_iteration"));
        line.push_back(field("time_total_s"));
        for (const auto &m : metrics) line.push_back(field(m));
        cells.push_back(std::move(line));
    }

    return {std::move(header), std::move(cells)};
}

std::string render_trial_table(const std::vector<TrialRow> &all_rows, const std::string &metric, tune_mode_t mode,
                               std::size_t max_rows) {
    std::vector<const TrialRow *> rows;
    for (const auto &row : all_rows) rows.push_back(&row);
    std::size_t omitted = 0;
    if (max_rows > 0 && rows.size() > max_rows) {
        // Running trials first, then the best by metric; keep creation order among equals.
        auto rank = [&](const TrialRow *row) {
            double value = metric_value(row->last_result, metric);
            if (std::isnan(value)) return std::numeric_limits<double>::infinity();
            return mode == TUNE_MODE_MAX ? -value : value;
        };
        std::stable_sort(rows.begin(), rows.end(), [&](const TrialRow *a, const TrialRow *b) {
            bool a_running = a->status == "RUNNING", b_running = b->status == "RUNNING";
            if (a_running != b_running) return a_running;
            return rank(a) < rank(b);
        });
        omitted = rows.size() - max_rows;
        rows.resize(max_rows);
        std::stable_sort(rows.begin(), rows.end(), [](const TrialRow *a, const TrialRow *b) { return a->name < b->name; });
    }

    const auto [header, cells] = trial_table_cells(rows, metric);
    std::vector<std::size_t> widths(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) {
        widths[c] = header[c].size();
        for (const auto &line : cells) widths[c] = std::max(widths[c], line[c].size());
    }
    auto rule = [&] {
        std::string text = "+";
        for (auto w : widths) text += std::string(w + 2, '-') + "+";
        return text + "\n";
    };
    auto render_line = [&](const std::vector<std::string> &line) {
        std::string text = "|";
        for (std::size_t c = 0; c < line.size(); ++c) text += fmt::format(" {:<{}} |", line[c], widths[c]);
        return text + "\n";
    };
    std::string out = rule() + render_line(header) + rule();
    for (const auto &line : cells) out += render_line(line);
    out += rule();
    if (omitted) out += fmt::format("... {} more trials not shown\n", omitted);
    return out;
}

} // namespace tune::core
