// What the experiment keeps of each trial while it runs: its results, the scheduler's
// decisions and its failures. The controller writes through this interface; the results
// folder (TrialLogFiles) is one implementation, and tests keep the records in memory.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/report/result_line.hpp"
#include "core/report/trial_logger.hpp"

namespace tune::core {

// Every function throws DiskError when the records cannot be written. Not thread-safe.
class TrialRecords {
public:
    virtual ~TrialRecords() = default;

    // The trial starts running, from the checkpoint of iteration resume_from (0: from the
    // beginning): its records are cut back to that iteration, so that each iteration appears
    // once, and its config is written.
    virtual void open(const std::string &trial_id, const std::filesystem::path &trial_dir,
                      const nlohmann::json &config, long long resume_from) = 0;
    // One annotated result.
    virtual void result(const std::string &trial_id, const ResultLine &result) = 0;
    // One scheduler decision; detail_json is the scheduler's explanation (a JSON object, or "").
    virtual void decision(const std::string &trial_id, long long iteration, const char *decision,
                          const std::string &detail_json) = 0;
    // The trial stopped running: what it wrote is made durable and its records closed.
    virtual void close(const std::string &trial_id) = 0;
    // A failure, kept beside every earlier one: the failure_number-th, after iteration.
    virtual void failure(const std::filesystem::path &trial_dir, long long failure_number, long long iteration,
                         const std::string &message) = 0;
    // Makes the records of every running trial durable enough to survive the host being killed.
    virtual void flush() = 0;
};

// The results folder: per trial params.json, result.jsonl, progress.csv, decisions.jsonl and
// error.txt (core/report/trial_logger.hpp).
class TrialLogFiles final : public TrialRecords {
public:
    void open(const std::string &trial_id, const std::filesystem::path &trial_dir, const nlohmann::json &config,
              long long resume_from) override;
    void result(const std::string &trial_id, const ResultLine &result) override;
    void decision(const std::string &trial_id, long long iteration, const char *decision,
                  const std::string &detail_json) override;
    void close(const std::string &trial_id) override;
    void failure(const std::filesystem::path &trial_dir, long long failure_number, long long iteration,
                 const std::string &message) override;
    void flush() override;

private:
    TrialLogger &logger(const std::string &trial_id);

    std::unordered_map<std::string, std::unique_ptr<TrialLogger>> open_;
};

} // namespace tune::core
