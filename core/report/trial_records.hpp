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

// One exploit, as the records keep it.
struct ExploitRecord {
    std::string trial_id;
    long long iteration = 0; // the trial's training_iteration when exploited
    std::string donor_id;
    long long donor_iteration = 0; // of the donor's checkpoint
    nlohmann::json old_config;     // the trial's hyperparameters before
    nlohmann::json donor_config;   // the donor's, which the new config was explored from
    nlohmann::json new_config;
    std::string detail_json; // the scheduler's explanation (a JSON object), or ""
    std::string time;        // ISO 8601 UTC
    bool log_config = true;  // also pbt_global.txt and pbt_policy_<trial>.txt
};

// Every function throws DiskError when the records cannot be written. Not thread-safe.
class TrialRecords {
public:
    virtual ~TrialRecords() = default;

    // The trial starts running, from a checkpoint or the beginning: its records are cut back
    // to kept (what that checkpoint has been credited with), so that each result appears once,
    // and its config is written.
    virtual void open(const std::string &trial_id, const std::filesystem::path &trial_dir,
                      const nlohmann::json &config, const LogExtent &kept) = 0;
    // One annotated result.
    virtual void result(const std::string &trial_id, const ResultLine &result) = 0;
    // One scheduler decision; detail_json is the scheduler's explanation (a JSON object, or "").
    virtual void decision(const std::string &trial_id, long long iteration, const char *decision,
                          const std::string &detail_json) = 0;
    // One scheduler decision about a trial that is not running (a paused trial stopped, an
    // exploit skipped): written straight to its folder.
    virtual void idle_decision(const std::string &trial_id, const std::filesystem::path &trial_dir, long long iteration,
                               const char *decision, const std::string &detail_json) = 0;
    // The trial, not running, was exploited: it continues from its donor's checkpoint (PBT).
    virtual void exploit(const std::filesystem::path &experiment_dir, const std::filesystem::path &trial_dir,
                         const ExploitRecord &exploit) = 0;
    // The trial stopped running: what it wrote is made durable and its records closed.
    virtual void close(const std::string &trial_id) = 0;
    // A failure, kept beside every earlier one: the failure_number-th, after iteration.
    virtual void failure(const std::filesystem::path &trial_dir, long long failure_number, long long iteration,
                         const std::string &message) = 0;
    // Makes the records of every running trial durable enough to survive the host being killed.
    virtual void flush() = 0;
};

// The results folder: per trial params.json, result.jsonl, progress.csv, decisions.jsonl and
// error.txt (core/report/trial_logger.hpp); pbt_global.txt and pbt_policy_<trial>.txt.
class TrialLogFiles final : public TrialRecords {
public:
    void open(const std::string &trial_id, const std::filesystem::path &trial_dir, const nlohmann::json &config,
              const LogExtent &kept) override;
    void result(const std::string &trial_id, const ResultLine &result) override;
    void decision(const std::string &trial_id, long long iteration, const char *decision,
                  const std::string &detail_json) override;
    void idle_decision(const std::string &trial_id, const std::filesystem::path &trial_dir, long long iteration,
                       const char *decision, const std::string &detail_json) override;
    // An EXPLOIT row in the trial's decisions.jsonl; with log_config, Ray's policy logs in
    // the experiment folder: a line [trial, donor, iteration, donor_iteration, donor_config,
    // new_config] in pbt_global.txt, and pbt_policy_<trial>.txt as the donor's policy log plus
    // that line.
    void exploit(const std::filesystem::path &experiment_dir, const std::filesystem::path &trial_dir,
                 const ExploitRecord &exploit) override;
    void close(const std::string &trial_id) override;
    void failure(const std::filesystem::path &trial_dir, long long failure_number, long long iteration,
                 const std::string &message) override;
    void flush() override;

private:
    TrialLogger &logger(const std::string &trial_id);

    std::unordered_map<std::string, std::unique_ptr<TrialLogger>> open_;
};

} // namespace tune::core
