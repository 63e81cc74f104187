// Writes one trial's files: params.json, result.jsonl, progress.csv and decisions.jsonl.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/report/result_line.hpp"

namespace tune::core {

// Buffered appends; flush() makes everything written so far durable enough to survive the
// host being killed (the engine flushes on each progress tick and when a trial ends).
// Throws DiskError (core/state/experiment_errors.hpp) naming the file when it cannot be written.
class TrialLogger {
public:
    // Creates dir if needed and writes params.json. Appends to existing result files, so a
    // trial that is restarted continues its logs.
    TrialLogger(const std::filesystem::path &dir, const nlohmann::json &config);
    ~TrialLogger();
    TrialLogger(const TrialLogger &) = delete;
    TrialLogger &operator=(const TrialLogger &) = delete;

    // One result: its text to result.jsonl, its values to progress.csv.
    void log_result(const ResultLine &result);
    // One scheduler decision for the audit trail. detail_json is the scheduler's explanation,
    // a JSON object as text, written as is ("" means {}).
    void log_decision(long long iteration, const char *decision, const std::string &detail_json);
    void flush();

private:
    std::FILE *open(const std::filesystem::path &file);
    void append_header(std::vector<std::string> columns); // to line_
    void append_flat_row(const ResultLine &result);       // to line_
    void append_row(const nlohmann::json &result);        // to line_
    void write(std::FILE *file, const std::string &text, const char *name);

    std::filesystem::path dir_;
    std::FILE *results_ = nullptr;   // result.jsonl
    std::FILE *progress_ = nullptr;  // progress.csv
    std::FILE *decisions_ = nullptr; // decisions.jsonl, opened on the first decision
    std::vector<std::string> csv_columns_;
    std::vector<std::size_t> column_fields_; // per column, the index of its field in the last flat result
    std::string line_;
};

// How much of a trial's logs a restart from a checkpoint keeps. A trial that was never
// exploited keeps its results through the checkpoint's training_iteration. An exploited one
// (PBT) has its results in segments, the next continuing from its donor's training_iteration,
// so iterations repeat: it keeps a count of results, and its decisions up to the EXPLOIT row
// that starts the checkpoint's segment, then those through the checkpoint's iteration.
struct LogExtent {
    std::size_t results = 0;      // result.jsonl lines, progress.csv rows
    std::size_t exploits = 0;     // EXPLOIT rows of decisions.jsonl
    long long last_iteration = 0; // decisions after the last kept EXPLOIT row: through this

    static LogExtent through(long long iteration) {
        return {static_cast<std::size_t>(iteration), 0, iteration};
    }
};

// Cuts a trial's result.jsonl, progress.csv and decisions.jsonl back to extent, before the
// trial is restarted from a checkpoint (a retry, a resume, an exploit). A torn last line, left
// by a killed host, goes too. Throws DiskError naming the file when it cannot be rewritten.
void truncate_trial_logs(const std::filesystem::path &dir, const LogExtent &extent);

// Flattens nested objects into "a/b" keys, as progress.csv columns.
void flatten_json(const nlohmann::json &value, const std::string &prefix, nlohmann::json &out);

// One CSV field: quoted when it holds a comma, quote or newline; numbers as in JSON.
std::string csv_field(const nlohmann::json &value);
void append_csv_field(std::string &line, const nlohmann::json &value);

} // namespace tune::core
