#include "core/report/progress_reporter.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace tune::core {

namespace {

// The best row by metric, or nullptr.
const TrialRow *best_row(const ProgressSnapshot &s) {
    const TrialRow *best = nullptr;
    double best_value = 0.0;
    for (const auto &row : s.rows) {
        if (!row.last_result.is_object()) continue;
        auto it = row.last_result.find(s.metric);
        if (it == row.last_result.end() || !it->is_number()) continue;
        double value = it->get<double>();
        if (!std::isfinite(value)) continue;
        if (!best || (s.mode == TUNE_MODE_MAX ? value > best_value : value < best_value)) {
            best = &row;
            best_value = value;
        }
    }
    return best;
}

std::string counts_text(const ProgressSnapshot &s) {
    int total = 0;
    std::string parts;
    for (const char *status : {"RUNNING", "PENDING", "PAUSED", "TERMINATED", "ERROR"}) {
        auto it = s.counts.find(status);
        if (it == s.counts.end() || it->second == 0) continue;
        total += it->second;
        parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", it->second, status);
    }
    return fmt::format("{} trials{}{}", total, parts.empty() ? "" : ": ", parts);
}

std::string best_text(const ProgressSnapshot &s) {
    const TrialRow *best = best_row(s);
    if (!best) return "none yet";
    return fmt::format("{} {}={} (iter {})", best->name, s.metric, format_cell(best->last_result.at(s.metric)),
                       format_cell(best->last_result.value("training_iteration", nlohmann::json())));
}

std::string inline_object(const nlohmann::json &object) {
    // ASHA-style rungs read best as "rung 9: 2 recorded, cutoff 0.52".
    if (object.contains("milestone") && object.contains("recorded")) {
        std::string text = fmt::format("rung {}: {} recorded", format_cell(object["milestone"]),
                                       format_cell(object["recorded"]));
        if (object.contains("cutoff") && !object["cutoff"].is_null())
            text += fmt::format(", cutoff {}", format_cell(object["cutoff"]));
        return text;
    }
    std::string text;
    for (const auto &item : object.items()) {
        if (item.value().is_structured() || item.value().is_null()) continue;
        text += fmt::format("{}{}={}", text.empty() ? "" : ", ", item.key(), format_cell(item.value()));
    }
    return text;
}

} // namespace

std::string format_duration(double seconds) {
    auto total = static_cast<long long>(std::max(0.0, seconds));
    return fmt::format("{:02}:{:02}:{:02}", total / 3600, (total / 60) % 60, total % 60);
}

std::string render_scheduler_state(const nlohmann::json &state) {
    if (!state.is_object() || state.empty()) return "";
    // Generic rendering: scalars inline, then each array of objects (brackets, rungs) one
    // entry per line segment, so any scheduler's state reads sensibly.
    std::string text = inline_object(state);
    for (const auto &item : state.items()) {
        if (!item.value().is_array()) continue;
        std::size_t index = 0;
        for (const auto &entry : item.value()) {
            if (!entry.is_object()) continue;
            std::string line = fmt::format("{} {}: {}", item.key(), index++, inline_object(entry));
            for (const auto &inner : entry.items()) {
                if (!inner.value().is_array()) continue;
                for (const auto &part : inner.value())
                    if (part.is_object()) line += fmt::format(" | {}", inline_object(part));
            }
            text += (text.empty() ? "" : "\n  ") + line;
        }
    }
    return text;
}

std::string render_status_line(const ProgressSnapshot &s) {
    return fmt::format("[{}] {} | CPUs {}/{} GPUs {}/{} | best: {}\n", format_duration(s.elapsed_s), counts_text(s),
                       format_number(s.cpus_used), format_number(s.cpus_total), format_number(s.gpus_used),
                       s.gpus_total, best_text(s));
}

std::string render_status(const ProgressSnapshot &s, std::size_t max_rows) {
    std::string out = fmt::format("== Status == {} (running for {})\n", s.experiment, format_duration(s.elapsed_s));
    out += counts_text(s) + "\n";
    out += fmt::format("Resources: {}/{} CPUs, {}/{} GPUs\n", format_number(s.cpus_used), format_number(s.cpus_total),
                       format_number(s.gpus_used), s.gpus_total);
    std::string scheduler_state = render_scheduler_state(s.scheduler_state);
    out += fmt::format("Scheduler: {}{}{}\n", s.scheduler, scheduler_state.empty() ? "" : "\n  ", scheduler_state);
    out += fmt::format("Best so far: {}\n", best_text(s));
    out += render_trial_table(s.rows, s.metric, s.mode, max_rows);
    return out;
}

ProgressReporter::ProgressReporter(std::ostream &out, ProgressStyle style, double interval_s)
    : out_(out), style_(style), interval_s_(interval_s) {}

bool ProgressReporter::due(double now_s) const {
    return style_ != ProgressStyle::Quiet && now_s - last_report_s_ >= interval_s_;
}

void ProgressReporter::report(const ProgressSnapshot &snapshot, double now_s) {
    last_report_s_ = now_s;
    if (style_ == ProgressStyle::Quiet) return;
    if (style_ == ProgressStyle::Plain) {
        out_ << render_status_line(snapshot) << std::flush;
        return;
    }
    std::string block = render_status(snapshot, 20);
    // Move up over the previous block and clear it, then draw the new one.
    if (lines_drawn_ > 0) out_ << "\x1b[" << lines_drawn_ << "F\x1b[J";
    out_ << block << std::flush;
    lines_drawn_ = static_cast<std::size_t>(std::count(block.begin(), block.end(), '\n'));
}

} // namespace tune::core
