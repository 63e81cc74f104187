// The experiment's storage in memory, for controller tests: checkpoint folders as JSON
// values, and the trial records (results, decisions, failures) as vectors. Both behave as the
// files do: a checkpoint appears on commit, records are cut back when a trial restarts.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/report/trial_records.hpp"
#include "core/state/checkpoint_storage.hpp"

namespace tune::test {

class MemoryCheckpoints final : public core::CheckpointStorage {
public:
    std::filesystem::path prepare(const std::filesystem::path &checkpoint) override;
    void commit(const std::filesystem::path &checkpoint) override;
    void remove(const std::filesystem::path &checkpoint) override;
    bool exists(const std::filesystem::path &checkpoint) const override;
    void remove_unlisted(const std::filesystem::path &trial_dir, const std::vector<std::filesystem::path> &keep) override;

    // What a trainable writes into a prepared folder, and reads back from a published one.
    // Throws std::out_of_range for a folder that does not exist.
    void write(const std::filesystem::path &folder, nlohmann::json contents);
    void clone(const std::filesystem::path &from, const std::filesystem::path &to) override;
    const nlohmann::json &read(const std::filesystem::path &folder) const;

    // Published checkpoints, by folder.
    const std::map<std::filesystem::path, nlohmann::json> &published() const { return published_; }

private:
    std::map<std::filesystem::path, nlohmann::json> prepared_; // keyed by the .tmp folder
    std::map<std::filesystem::path, nlohmann::json> published_;
};

struct TrialRecord {
    nlohmann::json config;
    std::vector<nlohmann::json> results; // as logged, "done" and the host's fields included
    std::vector<std::pair<long long, std::string>> decisions; // training_iteration, "STOP"/"PAUSE"/...
    std::vector<std::string> failures;
    int opens = 0; // how many times the trial started running
    bool open = false;
};

class MemoryRecords final : public core::TrialRecords {
public:
    void open(const std::string &trial_id, const std::filesystem::path &trial_dir, const nlohmann::json &config,
              const core::LogExtent &kept) override;
    void result(const std::string &trial_id, const core::ResultLine &result) override;
    void decision(const std::string &trial_id, long long iteration, const char *decision,
                  const std::string &detail_json) override;
    void idle_decision(const std::string &trial_id, const std::filesystem::path &trial_dir, long long iteration,
                       const char *decision, const std::string &detail_json) override;
    void exploit(const std::filesystem::path &experiment_dir, const std::filesystem::path &trial_dir,
                 const core::ExploitRecord &exploit) override;
    void close(const std::string &trial_id) override;
    void failure(const std::filesystem::path &trial_dir, long long failure_number, long long iteration,
                 const std::string &message) override;
    void flush() override {}

    std::map<std::string, TrialRecord> trials; // by trial id
    std::vector<core::ExploitRecord> exploits; // every exploit, in order
    // The training_iteration of each logged result of trial_id, in order.
    std::vector<long long> iterations(const std::string &trial_id) const;
};

} // namespace tune::test
