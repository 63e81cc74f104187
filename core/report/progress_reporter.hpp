// Live progress for the terminal, like Ray Tune's CLI reporter: a status block redrawn in
// place on a terminal, or plain periodic lines when the output is a file or a pipe.
#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/report/trial_table.hpp"

namespace tune::core {

struct ProgressSnapshot {
    std::string experiment;
    double elapsed_s = 0.0;
    std::map<std::string, int> counts; // by status name
    double cpus_used = 0.0, cpus_total = 0.0;
    double gpus_used = 0.0;
    int gpus_total = 0;
    std::string scheduler;          // plugin id
    nlohmann::json scheduler_state; // its describe_state()
    std::string metric;
    tune_mode_t mode = TUNE_MODE_MIN;
    std::vector<TrialRow> rows;
};

enum class ProgressStyle {
    Live,  // redraw a status block in place (a terminal)
    Plain, // one line per interval (a log file, CI)
    Quiet  // nothing
};

class ProgressReporter {
public:
    ProgressReporter(std::ostream &out, ProgressStyle style, double interval_s);

    // True when the next report is due at time now_s (seconds since the start).
    bool due(double now_s) const;
    void report(const ProgressSnapshot &snapshot, double now_s);

    ProgressStyle style() const { return style_; }

private:
    std::ostream &out_;
    ProgressStyle style_;
    double interval_s_;
    double last_report_s_ = -1e300;
    std::size_t lines_drawn_ = 0;
};

// The status block: counts, resources, scheduler state, best so far, and the trial table.
std::string render_status(const ProgressSnapshot &snapshot, std::size_t max_rows);

// One line: elapsed, counts, resources, best so far.
std::string render_status_line(const ProgressSnapshot &snapshot);

// The scheduler's describe_state() as short text, e.g. "rung 1: 8 recorded, cutoff 0.31".
std::string render_scheduler_state(const nlohmann::json &state);

// "00:01:05"
std::string format_duration(double seconds);

} // namespace tune::core
