#include "core/report/experiment_summary.hpp"

#include <cmath>
#include <ctime>
#include <fstream>
#include <map>
#include <stdexcept>

#include <fmt/format.h>

#include "core/report/trial_logger.hpp" // flatten_json
#include "core/report/trial_table.hpp"

namespace tune::core {
namespace fs = std::filesystem;

std::optional<std::size_t> ExperimentSummary::best_trial() const {
    std::optional<std::size_t> best;
    double best_value = 0.0;
    for (std::size_t i = 0; i < trials.size(); ++i) {
        const auto &result = trials[i].last_result;
        if (!result.is_object() || !result.contains(metric) || !result[metric].is_number()) continue;
        double value = result[metric].get<double>();
        if (!std::isfinite(value)) continue;
        if (!best || (mode == TUNE_MODE_MAX ? value > best_value : value < best_value)) {
            best = i;
            best_value = value;
        }
    }
    return best;
}

nlohmann::json ExperimentSummary::to_json() const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto &t : trials)
        list.push_back({{"trial_id", t.id},          {"dir", t.dir},           {"status", t.status},
                        {"stop_reason", t.stop_reason}, {"error", t.error},   {"failures", t.failures},
                        {"config", t.config},
                        {"last_result", t.last_result}, {"training_iteration", t.iteration},
                        {"checkpoint", t.checkpoint}, {"lineage", t.lineage}});
    nlohmann::json json{{"name", name},
                        {"metric", metric},
                        {"mode", mode == TUNE_MODE_MAX ? "max" : "min"},
                        {"started_at", started_at},
                        {"ended_at", ended_at},
                        {"wall_time_s", wall_time_s},
                        {"controller_cpu_s", controller_cpu_s},
                        {"end_reason", end_reason},
                        {"trials", list},
                        {"best_trial", nullptr}};
    if (auto best = best_trial()) {
        const auto &t = trials[*best];
        json["best_trial"] = {{"trial_id", t.id},
                              {"config", t.config},
                              {"metric", metric},
                              {"value", t.last_result.at(metric)},
                              {"training_iteration", t.iteration},
                              {"checkpoint", t.checkpoint},
                              {"evaluation", best_evaluation}};
    }
    return json;
}

ExperimentSummary ExperimentSummary::from_json(const nlohmann::json &json) {
    ExperimentSummary s;
    s.name = json.at("name").get<std::string>();
    s.metric = json.at("metric").get<std::string>();
    s.mode = json.at("mode").get<std::string>() == "max" ? TUNE_MODE_MAX : TUNE_MODE_MIN;
    s.started_at = json.value("started_at", "");
    s.ended_at = json.value("ended_at", "");
    s.wall_time_s = json.value("wall_time_s", 0.0);
    s.controller_cpu_s = json.value("controller_cpu_s", 0.0);
    s.end_reason = json.value("end_reason", "");
    for (const auto &t : json.at("trials")) {
        TrialSummary trial;
        trial.id = t.at("trial_id").get<std::string>();
        trial.dir = t.value("dir", "");
        trial.status = t.at("status").get<std::string>();
        trial.stop_reason = t.value("stop_reason", "");
        trial.error = t.value("error", "");
        trial.failures = t.value("failures", 0LL);
        trial.config = t.value("config", nlohmann::json::object());
        trial.last_result = t.value("last_result", nlohmann::json());
        trial.iteration = t.value("training_iteration", 0LL);
        trial.checkpoint = t.value("checkpoint", "");
        trial.lineage = t.value("lineage", nlohmann::json::array());
        s.trials.push_back(std::move(trial));
    }
    const auto &best = json.value("best_trial", nlohmann::json());
    if (best.is_object()) s.best_evaluation = best.value("evaluation", nlohmann::json());
    return s;
}

void write_summary(const fs::path &experiment_dir, const ExperimentSummary &summary) {
    const fs::path file = experiment_dir / "summary.json", temporary = experiment_dir / "summary.json.tmp";
    {
        std::ofstream out(temporary);
        out << summary.to_json().dump(2) << "\n";
        if (!out.flush()) throw std::runtime_error("cannot write " + temporary.string());
    }
    std::error_code ec;
    fs::rename(temporary, file, ec);
    if (ec) throw std::runtime_error("cannot replace " + file.string() + ": " + ec.message());
}

nlohmann::json read_experiment_file(const fs::path &file) {
    std::error_code ec;
    if (fs::exists(file, ec) && !fs::is_regular_file(file, ec))
        throw std::runtime_error(file.string() + " is not a regular file (a folder or a device): is " +
                                 file.parent_path().string() + " an experiment folder written by `tune run`?");
    std::ifstream in(file);
    if (!in) throw std::runtime_error(file.string() + " not found: is " + file.parent_path().string() +
                                      " an experiment folder written by `tune run`?");
    try {
        return nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception &e) {
        throw std::runtime_error(file.string() + " is corrupt: " + e.what());
    }
}

ExperimentSummary read_summary(const fs::path &experiment_dir) {
    const fs::path file = experiment_dir / "summary.json";
    const nlohmann::json json = read_experiment_file(file);
    try {
        return ExperimentSummary::from_json(json);
    } catch (const nlohmann::json::exception &e) {
        throw std::runtime_error(file.string() + " is corrupt: " + e.what());
    }
}

std::string describe_config_changes(const nlohmann::json &before, const nlohmann::json &after) {
    nlohmann::json old_flat = nlohmann::json::object(), new_flat = nlohmann::json::object();
    flatten_json(before, "", old_flat);
    flatten_json(after, "", new_flat);
    std::string changes;
    for (const auto &item : new_flat.items()) {
        const auto old_value = old_flat.find(item.key());
        if (old_value != old_flat.end() && *old_value == item.value()) continue;
        changes += fmt::format("{}{} {} -> {}", changes.empty() ? "" : ", ", item.key(),
                               old_value == old_flat.end() ? "-" : format_cell(*old_value), format_cell(item.value()));
    }
    return changes.empty() ? "config unchanged" : changes;
}

namespace {

// One line per exploit: where the trial's state and config came from.
std::string render_lineage(const std::vector<TrialSummary> &trials) {
    std::string out;
    for (const auto &t : trials)
        for (const auto &step : t.lineage)
            out += fmt::format("  trial_{} at iteration {}: continued from trial_{} at iteration {}; {}\n", t.id,
                               step.value("iteration", 0LL), step.value("donor", std::string("?")),
                               step.value("donor_iteration", 0LL),
                               describe_config_changes(step.value("old_config", nlohmann::json::object()),
                                              step.value("new_config", nlohmann::json::object())));
    return out.empty() ? out : "Lineage (exploits, oldest first):\n" + out;
}

} // namespace

std::string render_summary(const ExperimentSummary &summary, std::size_t max_rows) {
    std::vector<TrialRow> rows;
    std::map<std::string, int> counts;
    for (const auto &t : summary.trials) {
        rows.push_back({t.dir.empty() ? "trial_" + t.id : t.dir, t.status, t.config, t.last_result});
        ++counts[t.status];
    }
    std::string out = fmt::format("Experiment {}: {} trials", summary.name, summary.trials.size());
    for (const auto &[status, count] : counts) out += fmt::format(", {} {}", count, status);
    if (!summary.end_reason.empty()) out += fmt::format(" ({}, {:.1f} s)", summary.end_reason, summary.wall_time_s);
    out += "\n";
    out += render_trial_table(rows, summary.metric, summary.mode, max_rows);
    for (const auto &t : summary.trials)
        if (t.status == "ERROR") out += fmt::format("trial_{} ERROR: {}\n", t.id, t.error);
    out += render_lineage(summary.trials);
    if (auto best = summary.best_trial()) {
        const auto &t = summary.trials[*best];
        out += fmt::format("Best trial: trial_{} ({} {} = {}, iteration {})\n", t.id,
                           summary.mode == TUNE_MODE_MAX ? "max" : "min", summary.metric,
                           format_cell(t.last_result.at(summary.metric)), t.iteration);
        out += fmt::format("  config: {}\n", t.config.dump());
        std::string metrics;
        for (const auto &item : t.last_result.items())
            if (item.value().is_number() && item.key() != "timestamp")
                metrics += fmt::format("{}{}={}", metrics.empty() ? "" : ", ", item.key(), format_cell(item.value()));
        out += fmt::format("  last result: {}\n", metrics);
        if (!t.checkpoint.empty()) out += fmt::format("  checkpoint: {}\n", t.checkpoint);
        if (!t.lineage.empty())
            out += fmt::format("  lineage: {} exploit{}, the last from trial_{}\n", t.lineage.size(),
                               t.lineage.size() == 1 ? "" : "s", t.lineage.back().value("donor", std::string("?")));
        if (summary.best_evaluation.is_object())
            for (const auto &item : summary.best_evaluation.items())
                out += fmt::format("  {} (evaluate): {}\n", item.key(), format_cell(item.value()));
    } else {
        out += fmt::format("No trial reported a finite '{}'.\n", summary.metric);
    }
    return out;
}

std::string utc_now_iso8601() {
    std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

} // namespace tune::core
