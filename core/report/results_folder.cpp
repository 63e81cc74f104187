#include "core/report/results_folder.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include <fmt/format.h>

#include "core/report/result_line.hpp" // json_number
#include "core/report/trial_table.hpp" // result_location
#include "core/state/experiment_lock.hpp"

namespace tune::core {
namespace fs = std::filesystem;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string read_file(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return {};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

double number_or_nan(const nlohmann::json &object, std::string_view key) {
    return json_number(object, key).value_or(kNaN);
}

// Calls on_line(json, line_number) for every line of file that is a JSON object. A line that is
// not is listed in problems, unless it is the last line and the file does not end in a newline:
// that one is still being written.
template <class OnLine>
void for_each_json_line(const fs::path &file, const std::string &shown_name, std::vector<std::string> &problems,
                        OnLine on_line) {
    const std::string text = read_file(file);
    std::size_t begin = 0, line_number = 0;
    while (begin < text.size()) {
        std::size_t end = text.find('\n', begin);
        const bool torn = end == std::string::npos;
        if (torn) end = text.size();
        ++line_number;
        const std::string_view line(text.data() + begin, end - begin);
        begin = end + 1;
        if (line.empty()) continue;
        auto parsed = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
        if (parsed.is_object()) {
            on_line(parsed, line_number);
        } else if (!torn) {
            problems.push_back(fmt::format("{} line {}: not a JSON object; skipped", shown_name, line_number));
        }
    }
}

// The status of a trial that summary.json does not list yet (a running experiment).
std::string inferred_status(const TrialHistory &trial) {
    if (trial.stopped_by_scheduler) return "TERMINATED";
    if (trial.last_result.is_object() && trial.last_result.value("done", false)) return "TERMINATED";
    return trial.points.empty() ? "PENDING" : "RUNNING";
}

class TrialReader {
public:
    TrialReader(ResultsFolder &folder) : folder_(folder) {}

    void read(TrialHistory &trial) {
        const fs::path dir = folder_.dir / trial.dir;
        if (trial.config.empty() && fs::exists(dir / "params.json")) {
            auto params = read_experiment_file(dir / "params.json");
            if (params.is_object()) trial.config = std::move(params);
        }
        read_results(trial, dir / "result.jsonl");
        read_decisions(trial, dir / "decisions.jsonl");
    }

private:
    void read_results(TrialHistory &trial, const fs::path &file) {
        nlohmann::json last;
        for_each_json_line(file, trial.dir + "/result.jsonl", folder_.problems, [&](nlohmann::json &row, std::size_t) {
            ResultPoint point;
            point.step = number_or_nan(row, folder_.time_attr);
            if (std::isnan(point.step)) point.step = static_cast<double>(trial.points.size() + 1);
            point.metric = number_or_nan(row, folder_.metric);
            if (!std::isfinite(point.metric)) point.metric = kNaN;
            point.end_s = number_or_nan(row, "timestamp");
            point.duration_s = number_or_nan(row, "time_this_iter_s");
            if (!std::isfinite(point.duration_s) || point.duration_s < 0) point.duration_s = 0.0;
            point.lane = lane_of(row);
            trial.points.push_back(point);
            last = std::move(row);
        });
        folder_.result_count += trial.points.size();
        if (!trial.last_result.is_object() && last.is_object()) trial.last_result = std::move(last);
    }

    void read_decisions(TrialHistory &trial, const fs::path &file) {
        for_each_json_line(file, trial.dir + "/decisions.jsonl", folder_.problems, [&](const nlohmann::json &row, std::size_t) {
            const std::string decision = row.value("decision", "");
            const nlohmann::json detail = row.value("detail", nlohmann::json::object());
            if (decision == "STOP") trial.stopped_by_scheduler = true;
            if (!detail.is_object()) return;
            double step = number_or_nan(detail, "rung");
            if (std::isnan(step)) step = number_or_nan(detail, "time");
            double threshold = number_or_nan(detail, "cutoff");
            if (std::isnan(threshold)) threshold = number_or_nan(detail, "median");
            if (std::isnan(step) || !std::isfinite(threshold)) return;
            trial.thresholds.push_back({step, threshold, number_or_nan(detail, "value"), decision});
        });
    }

    int lane_of(const nlohmann::json &row) {
        std::string lane = result_location(row);
        if (lane.empty()) lane = "local";
        auto [it, added] = lane_index_.emplace(lane, static_cast<int>(folder_.lanes.size()));
        if (added) folder_.lanes.push_back(lane);
        return it->second;
    }

    ResultsFolder &folder_;
    std::unordered_map<std::string, int> lane_index_;
};

} // namespace

ResultsFolder read_results_folder(const fs::path &dir) {
    ResultsFolder folder;
    folder.dir = dir;
    if (!fs::is_directory(dir)) throw std::runtime_error(dir.string() + " is not a folder");
    folder.experiment = read_experiment_file(dir / "experiment.json");
    if (!folder.experiment.is_object() || !folder.experiment.contains("metric") || !folder.experiment["metric"].is_string())
        throw std::runtime_error((dir / "experiment.json").string() + " is corrupt: expected an object with \"metric\"");
    folder.metric = folder.experiment["metric"].get<std::string>();
    folder.mode = folder.experiment.value("mode", "min") == "max" ? TUNE_MODE_MAX : TUNE_MODE_MIN;
    folder.time_attr = "training_iteration";
    const auto &scheduler = folder.experiment.value("scheduler", nlohmann::json::object());
    if (scheduler.is_object() && scheduler.contains("options") && scheduler["options"].is_object())
        folder.time_attr = scheduler["options"].value("time_attr", folder.time_attr);

    if (fs::exists(dir / "summary.json")) folder.summary = read_summary(dir);
    try {
        ExperimentLock::check_free(dir);
    } catch (const ExperimentLockedError &) {
        folder.host_running = true;
    }

    // Every trial folder, with what summary.json says of it where it says anything.
    std::map<std::string, TrialHistory> by_dir;
    if (folder.summary)
        for (const auto &t : folder.summary->trials) {
            TrialHistory trial;
            trial.id = t.id;
            trial.dir = t.dir.empty() ? "trial_" + t.id : t.dir;
            trial.status = t.status;
            trial.stop_reason = t.stop_reason;
            trial.checkpoint = t.checkpoint;
            trial.config = t.config.is_object() ? t.config : nlohmann::json::object();
            trial.last_result = t.last_result;
            trial.lineage = t.lineage;
            by_dir.emplace(trial.dir, std::move(trial));
        }
    for (const auto &entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (!entry.is_directory() || name.rfind("trial_", 0) != 0 || by_dir.count(name)) continue;
        TrialHistory trial;
        trial.id = name.substr(6);
        trial.dir = name;
        by_dir.emplace(name, std::move(trial));
    }

    TrialReader reader(folder);
    for (auto &[name, trial] : by_dir) {
        reader.read(trial);
        if (trial.status.empty()) trial.status = inferred_status(trial);
        folder.trials.push_back(std::move(trial));
    }
    return folder;
}

} // namespace tune::core
