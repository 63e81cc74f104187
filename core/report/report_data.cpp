#include "core/report/report_data.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <numeric>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "core/report/curve_downsampling.hpp"
#include "core/report/result_line.hpp" // json_number
#include "core/report/trial_logger.hpp" // flatten_json
#include "core/report/trial_table.hpp"
#include "tune/space/domain.hpp"
#include "tune/space/space_error.hpp"

namespace tune::core {

using nlohmann::json;

json rounded(double value) {
    if (!std::isfinite(value)) return nullptr;
    return std::strtod(fmt::format("{:.6g}", value).c_str(), nullptr);
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double final_metric(const TrialHistory &trial, const std::string &metric) {
    if (!trial.last_result.is_object()) return kNaN;
    const double value = json_number(trial.last_result, metric).value_or(kNaN);
    return std::isfinite(value) ? value : kNaN;
}

// The colour group of a trial on every chart.
std::string category(const TrialHistory &trial) {
    if (trial.status == "ERROR") return "error";
    if (trial.status == "TERMINATED")
        return trial.stop_reason.rfind("stopped by scheduler", 0) == 0 ||
                       (trial.stop_reason.empty() && trial.stopped_by_scheduler)
                   ? "stopped early"
                   : "completed";
    if (trial.status == "RUNNING") return "running";
    if (trial.status == "PAUSED") return "paused";
    return "pending";
}

std::string with_commas(std::size_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

class ReportBuilder {
public:
    ReportBuilder(const ResultsFolder &folder, const ReportLimits &limits) : folder_(folder), limits_(limits) {
        const std::size_t n = folder.trials.size();
        finals_.resize(n);
        for (std::size_t i = 0; i < n; ++i) finals_[i] = final_metric(folder.trials[i], folder.metric);
        // Best first; trials without a metric last, in id order.
        ranked_.resize(n);
        std::iota(ranked_.begin(), ranked_.end(), 0);
        std::stable_sort(ranked_.begin(), ranked_.end(), [&](std::size_t a, std::size_t b) {
            return score(finals_[a]) < score(finals_[b]);
        });
        start_s_ = std::numeric_limits<double>::infinity();
        for (const auto &trial : folder.trials)
            for (const auto &point : trial.points)
                if (std::isfinite(point.end_s)) start_s_ = std::min(start_s_, point.end_s - point.duration_s);
        if (!std::isfinite(start_s_)) start_s_ = 0.0;
    }

    json build(const std::string &generated_at) {
        json data;
        data["trials"] = trials();
        data["best"] = best();
        data["curves"] = curves();
        data["best_so_far"] = best_so_far();
        data["params"] = params();
        data["timeline"] = timeline();
        data["table"] = table();
        data["lineage"] = lineage();
        data["experiment"] = experiment(generated_at);
        for (const auto &problem : folder_.problems) notes_.push_back(problem);
        data["notes"] = notes_;
        return data;
    }

private:
    // Smaller is better, whatever the mode; a missing metric is worst.
    double score(double value) const {
        if (std::isnan(value)) return std::numeric_limits<double>::infinity();
        return folder_.mode == TUNE_MODE_MAX ? -value : value;
    }

    json experiment(const std::string &generated_at) const {
        const json &e = folder_.experiment;
        auto plugin = [&](const char *part) {
            const json section = e.value(part, json::object());
            return section.is_object() ? section.value("plugin", std::string()) : std::string();
        };
        std::map<std::string, int> counts;
        for (const auto &trial : folder_.trials) ++counts[trial.status];
        const auto &summary = folder_.summary;
        // Not ended, and no tune process holds the folder: the host was killed (or the folder
        // was copied away) before the end; `tune resume` continues it.
        const bool unfinished = !summary || summary->end_reason == "running";
        const char *state = !unfinished ? "ended" : folder_.host_running ? "running" : "stopped";
        return {{"name", e.value("name", folder_.dir.filename().string())},
                {"dir", folder_.dir.string()},
                {"metric", folder_.metric},
                {"mode", folder_.mode == TUNE_MODE_MAX ? "max" : "min"},
                {"time_attr", folder_.time_attr},
                {"trainable", plugin("trainable")},
                {"searcher", plugin("searcher")},
                {"scheduler", plugin("scheduler")},
                {"state", state},
                {"end_reason", summary ? summary->end_reason : ""},
                {"started_at", summary ? summary->started_at : ""},
                {"ended_at", summary && !unfinished ? summary->ended_at : ""},
                {"wall_time_s", summary ? rounded(summary->wall_time_s) : json(nullptr)},
                {"generated_at", generated_at},
                {"trial_count", folder_.trials.size()},
                {"result_count", folder_.result_count},
                {"status_counts", counts}};
    }

    json trials() const {
        json list = json::array();
        for (std::size_t i = 0; i < folder_.trials.size(); ++i) {
            const auto &trial = folder_.trials[i];
            list.push_back({{"name", trial.dir}, {"status", trial.status}, {"category", category(trial)},
                            {"final", rounded(finals_[i])}, {"stop_reason", trial.stop_reason}});
        }
        return list;
    }

    json best() const {
        if (ranked_.empty() || std::isnan(finals_[ranked_.front()])) return nullptr;
        const auto &trial = folder_.trials[ranked_.front()];
        json evaluation = folder_.summary && folder_.summary->best_evaluation.is_object()
                              ? folder_.summary->best_evaluation
                              : json(nullptr);
        return {{"trial", ranked_.front()},
                {"name", trial.dir},
                {"value", finals_[ranked_.front()]},
                {"iteration", trial.last_result.value("training_iteration", json(nullptr))},
                {"config", trial.config},
                {"evaluation", evaluation},
                {"checkpoint", trial.checkpoint}};
    }

    // Which trials get a learning curve: all, or the best half of the allowance and the rest
    // spread evenly over the others.
    std::vector<std::size_t> drawn_curves() {
        const std::size_t n = ranked_.size();
        if (n <= limits_.max_curves) {
            std::vector<std::size_t> all(n);
            std::iota(all.begin(), all.end(), 0);
            return all;
        }
        const std::size_t best = limits_.max_curves / 2, others = limits_.max_curves - best;
        std::vector<std::size_t> chosen(ranked_.begin(), ranked_.begin() + static_cast<long>(best));
        const double stride = static_cast<double>(n - best) / static_cast<double>(others);
        for (std::size_t k = 0; k < others; ++k)
            chosen.push_back(ranked_[best + static_cast<std::size_t>(std::floor(k * stride))]);
        std::sort(chosen.begin(), chosen.end());
        notes_.push_back(fmt::format("Learning curves: {} of {} trials are drawn (the {} best by final {} and {} "
                                     "spread evenly over the rest).",
                                     with_commas(limits_.max_curves), with_commas(n), with_commas(best),
                                     folder_.metric, with_commas(others)));
        return chosen;
    }

    json curves() {
        const std::vector<std::size_t> drawn = drawn_curves();
        const std::size_t per_curve =
            std::max<std::size_t>(8, limits_.curve_point_budget / std::max<std::size_t>(1, drawn.size()));
        json series = json::array();
        std::size_t downsampled = 0, before = 0, after = 0;
        for (std::size_t index : drawn) {
            const auto &points = folder_.trials[index].points;
            std::vector<double> x, y;
            for (const auto &point : points) {
                x.push_back(point.step);
                y.push_back(point.metric);
            }
            const auto kept = downsample_curve(x, y, per_curve);
            before += points.size();
            after += kept.size();
            downsampled += kept.size() < points.size();
            json xs = json::array(), ys = json::array();
            for (std::size_t k : kept) {
                xs.push_back(rounded(x[k]));
                ys.push_back(rounded(y[k]));
            }
            series.push_back({index, std::move(xs), std::move(ys)});
        }
        if (downsampled)
            notes_.push_back(fmt::format("Learning curves: {} curves of over {} points are downsampled to {} points each "
                                         "(largest-triangle-three-buckets); {} points drawn of {}.",
                                         with_commas(downsampled), per_curve, per_curve, with_commas(after),
                                         with_commas(before)));
        return {{"x_label", folder_.time_attr}, {"series", std::move(series)}, {"cutoffs", cutoffs()},
                {"shown", drawn.size()}, {"total", folder_.trials.size()}};
    }

    // The thresholds that stopped trials, in the metric's units. Schedulers judge a "score"
    // that is the metric negated when mode is min (Ray's convention); the decisions' "value"
    // against the trial's own metric there tells which.
    json cutoffs() const {
        int same = 0, negated = 0;
        for (const auto &trial : folder_.trials)
            for (const auto &decision : trial.thresholds) {
                if (!std::isfinite(decision.value)) continue;
                for (const auto &point : trial.points)
                    if (point.step == decision.step && std::isfinite(point.metric)) {
                        if (std::fabs(decision.value - point.metric) < std::fabs(decision.value + point.metric)) ++same;
                        else if (std::fabs(decision.value + point.metric) < std::fabs(decision.value - point.metric)) ++negated;
                        break;
                    }
            }
        const bool flip = negated > same || (negated == same && folder_.mode == TUNE_MODE_MIN);
        std::map<double, std::vector<double>> by_step;
        for (const auto &trial : folder_.trials)
            for (const auto &decision : trial.thresholds)
                if (decision.decision == "STOP") by_step[decision.step].push_back(flip ? -decision.threshold : decision.threshold);
        json markers = json::array();
        for (const auto &[step, values] : by_step) {
            const double stride = std::max(1.0, static_cast<double>(values.size()) / static_cast<double>(limits_.max_cutoff_markers));
            for (double k = 0; k < static_cast<double>(values.size()); k += stride)
                markers.push_back({rounded(step), rounded(values[static_cast<std::size_t>(k)])});
        }
        return markers;
    }

    json best_so_far() const {
        struct Event {
            double end_s;
            double metric;
            std::size_t trial;
        };
        std::vector<Event> events;
        for (std::size_t i = 0; i < folder_.trials.size(); ++i)
            for (const auto &point : folder_.trials[i].points) events.push_back({point.end_s, point.metric, i});
        std::stable_sort(events.begin(), events.end(), [](const Event &a, const Event &b) {
            if (std::isnan(a.end_s) || std::isnan(b.end_s)) return !std::isnan(a.end_s) && std::isnan(b.end_s);
            return a.end_s < b.end_s;
        });
        json wall = json::array(), iterations = json::array();
        double best = kNaN;
        for (std::size_t k = 0; k < events.size(); ++k) {
            const Event &event = events[k];
            const bool improved = std::isfinite(event.metric) && (std::isnan(best) || score(event.metric) < score(best));
            const bool last = k + 1 == events.size();
            if (!improved && !(last && std::isfinite(best))) continue;
            if (improved) best = event.metric;
            if (std::isfinite(event.end_s)) wall.push_back({rounded(event.end_s - start_s_), rounded(best), event.trial});
            iterations.push_back({k + 1, rounded(best), event.trial});
        }
        return {{"wall", std::move(wall)}, {"iterations", std::move(iterations)}};
    }

    // One axis per flattened config key, and the final metric's last.
    json params() const {
        std::vector<std::string> keys;
        std::vector<json> flat(folder_.trials.size(), json::object());
        for (std::size_t i = 0; i < folder_.trials.size(); ++i) {
            flatten_json(folder_.trials[i].config, "", flat[i]);
            for (const auto &item : flat[i].items())
                if (std::find(keys.begin(), keys.end(), item.key()) == keys.end()) keys.push_back(item.key());
        }
        json axes = json::array();
        std::vector<std::vector<json>> columns;
        const json space = folder_.experiment.value("search_space", json::object());
        for (const auto &key : keys) {
            std::vector<json> column;
            for (const auto &config : flat) column.push_back(config.contains(key) ? config[key] : json(nullptr));
            axes.push_back(axis(key, column, log_domain(space, key)));
            columns.push_back(std::move(column));
        }
        std::vector<json> finals;
        for (double value : finals_) finals.push_back(rounded(value));
        axes.push_back(axis(folder_.metric, finals, false));
        axes.back()["metric"] = true;
        columns.push_back(std::move(finals));

        json rows = json::array();
        for (std::size_t i = 0; i < folder_.trials.size(); ++i) {
            json values = json::array();
            for (std::size_t a = 0; a < columns.size(); ++a) {
                const json &value = columns[a][i];
                if (axes[a]["kind"] == "category") {
                    const auto &labels = axes[a]["labels"];
                    const auto found = std::find(labels.begin(), labels.end(), label(value));
                    values.push_back(value.is_null() ? json(nullptr) : json(found - labels.begin()));
                } else {
                    values.push_back(value.is_number() ? rounded(value.get<double>()) : json(nullptr));
                }
            }
            rows.push_back({i, std::move(values)});
        }
        return {{"axes", std::move(axes)}, {"rows", std::move(rows)}};
    }

    static bool log_domain(const json &search_space, const std::string &key) {
        if (!search_space.is_object() || !search_space.contains(key)) return false;
        using tune::space::Primitive;
        std::optional<Primitive> primitive;
        try {
            primitive = tune::space::domain_primitive(search_space[key], key);
        } catch (const tune::space::SpaceError &) {
            return false; // not a domain the space library reads: no hint
        }
        return primitive == Primitive::loguniform || primitive == Primitive::qloguniform ||
               primitive == Primitive::lograndint || primitive == Primitive::qlograndint;
    }

    static std::string label(const json &value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

    // Numbers get a linear or log axis (log when the search space says so, or when they are
    // positive and span 1.5 decades or more, as 2 ** randint(2, 9) does); anything else a
    // category per distinct value.
    static json axis(const std::string &name, const std::vector<json> &values, bool log_hint) {
        bool numeric = true, any = false;
        double low = std::numeric_limits<double>::infinity(), high = -low;
        for (const auto &value : values) {
            if (value.is_null()) continue;
            any = true;
            if (!value.is_number() || value.is_boolean()) {
                numeric = false;
                continue;
            }
            const double v = value.get<double>();
            if (!std::isfinite(v)) continue;
            low = std::min(low, v);
            high = std::max(high, v);
        }
        if (numeric && any && std::isfinite(low)) {
            const bool log = low > 0 && (log_hint || high / low >= 32.0);
            return {{"name", name}, {"kind", log ? "log" : "linear"}, {"min", rounded(low)}, {"max", rounded(high)}};
        }
        std::set<std::string> distinct;
        for (const auto &value : values)
            if (!value.is_null()) distinct.insert(label(value));
        return {{"name", name}, {"kind", "category"}, {"labels", json(std::vector<std::string>(distinct.begin(), distinct.end()))}};
    }

    // Each trial's time on the worker that ran it: one bar per run of consecutive results on
    // one worker, merged across gaps shorter than the merge gap, which grows until the bars fit.
    json timeline() {
        double end_s = start_s_;
        for (const auto &trial : folder_.trials)
            for (const auto &point : trial.points)
                if (std::isfinite(point.end_s)) end_s = std::max(end_s, point.end_s);
        const double span_s = end_s - start_s_;
        struct Bar {
            int lane;
            double start, end;
            std::size_t trial;
        };
        std::vector<Bar> bars;
        double merge_gap_s = std::max(0.5, span_s * 0.001);
        for (int attempt = 0; attempt < 30; ++attempt, merge_gap_s *= 2) {
            bars.clear();
            for (std::size_t i = 0; i < folder_.trials.size(); ++i)
                for (const auto &point : folder_.trials[i].points) {
                    if (!std::isfinite(point.end_s)) continue;
                    const double start = point.end_s - point.duration_s - start_s_, end = point.end_s - start_s_;
                    if (!bars.empty() && bars.back().trial == i && bars.back().lane == point.lane &&
                        start - bars.back().end <= merge_gap_s) {
                        bars.back().end = std::max(bars.back().end, end);
                        continue;
                    }
                    bars.push_back({point.lane, start, end, i});
                }
            if (bars.size() <= limits_.max_timeline_bars) break;
        }
        if (merge_gap_s > std::max(0.5, span_s * 0.001))
            notes_.push_back(fmt::format("Timeline: a trial's runs less than {} s apart on one worker are drawn as one bar.",
                                         rounded(merge_gap_s).dump()));
        // Lanes by node, then by when they were first busy.
        std::vector<double> first_busy(folder_.lanes.size(), std::numeric_limits<double>::infinity());
        double busy_s = 0.0;
        for (const auto &bar : bars) {
            first_busy[static_cast<std::size_t>(bar.lane)] = std::min(first_busy[static_cast<std::size_t>(bar.lane)], bar.start);
            busy_s += bar.end - bar.start;
        }
        std::vector<std::size_t> order(folder_.lanes.size());
        std::iota(order.begin(), order.end(), 0);
        auto node = [&](std::size_t lane) { return folder_.lanes[lane].substr(0, folder_.lanes[lane].rfind(':')); };
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            if (node(a) != node(b)) return node(a) < node(b);
            return first_busy[a] < first_busy[b];
        });
        std::vector<std::size_t> position(order.size());
        json lanes = json::array();
        for (std::size_t k = 0; k < order.size(); ++k) {
            position[order[k]] = k;
            lanes.push_back(folder_.lanes[order[k]]);
        }
        json drawn = json::array();
        for (const auto &bar : bars)
            drawn.push_back({position[static_cast<std::size_t>(bar.lane)], rounded(bar.start), rounded(bar.end), bar.trial});
        const double capacity_s = span_s * static_cast<double>(folder_.lanes.size());
        return {{"lanes", std::move(lanes)},
                {"bars", std::move(drawn)},
                {"span_s", rounded(span_s)},
                {"busy_fraction", capacity_s > 0 ? rounded(busy_s / capacity_s) : json(nullptr)}};
    }

    json table() {
        std::vector<std::size_t> shown = ranked_;
        if (shown.size() > limits_.max_table_rows) {
            shown.resize(limits_.max_table_rows);
            notes_.push_back(fmt::format("Trial table: the {} best trials of {}.", with_commas(shown.size()),
                                         with_commas(ranked_.size())));
        }
        std::sort(shown.begin(), shown.end());
        std::vector<TrialRow> rows;
        for (std::size_t i : shown) {
            const auto &trial = folder_.trials[i];
            rows.push_back({trial.dir, trial.status, trial.config, trial.last_result});
        }
        std::vector<const TrialRow *> pointers;
        for (const auto &row : rows) pointers.push_back(&row);
        auto cells = trial_table_cells(pointers, folder_.metric);
        return {{"header", std::move(cells.header)}, {"rows", std::move(cells.rows)}, {"trial_index", shown},
                {"shown", shown.size()}, {"total", ranked_.size()}};
    }

    json lineage() const {
        std::map<std::string, std::size_t> index_of;
        for (std::size_t i = 0; i < folder_.trials.size(); ++i) index_of[folder_.trials[i].id] = i;
        json exploits = json::array(), spans = json::array();
        for (std::size_t i = 0; i < folder_.trials.size(); ++i) {
            const auto &trial = folder_.trials[i];
            for (const auto &step : trial.lineage) {
                const auto donor = index_of.find(step.value("donor", std::string()));
                if (donor == index_of.end()) continue;
                exploits.push_back({i, donor->second, step.value("iteration", 0LL), step.value("donor_iteration", 0LL),
                                    describe_config_changes(step.value("old_config", json::object()),
                                                            step.value("new_config", json::object()))});
            }
            if (!trial.points.empty()) {
                double first = trial.points.front().step, last = first;
                for (const auto &point : trial.points) {
                    first = std::min(first, point.step);
                    last = std::max(last, point.step);
                }
                spans.push_back({i, rounded(first), rounded(last)});
            }
        }
        if (exploits.empty()) return nullptr;
        return {{"exploits", std::move(exploits)}, {"spans", std::move(spans)}};
    }

    const ResultsFolder &folder_;
    const ReportLimits &limits_;
    std::vector<double> finals_;
    std::vector<std::size_t> ranked_;
    double start_s_ = 0.0;
    std::vector<std::string> notes_;
};

} // namespace

json build_report_data(const ResultsFolder &folder, const ReportLimits &limits, const std::string &generated_at) {
    return ReportBuilder(folder, limits).build(generated_at);
}

} // namespace tune::core
