#include "support/memory_storage.hpp"

#include <algorithm>
#include <stdexcept>

namespace tune::test {
namespace fs = std::filesystem;

namespace {

fs::path temporary_of(const fs::path &checkpoint) { return checkpoint.string() + ".tmp"; }

long long iteration_of(const nlohmann::json &record) { return record.at("training_iteration").get<long long>(); }

} // namespace

fs::path MemoryCheckpoints::prepare(const fs::path &checkpoint) {
    const fs::path folder = temporary_of(checkpoint);
    prepared_[folder] = nlohmann::json::object();
    return folder;
}

void MemoryCheckpoints::commit(const fs::path &checkpoint) {
    auto prepared = prepared_.find(temporary_of(checkpoint));
    if (prepared == prepared_.end()) throw std::logic_error("commit of a checkpoint never prepared: " + checkpoint.string());
    published_[checkpoint] = std::move(prepared->second);
    prepared_.erase(prepared);
}

void MemoryCheckpoints::clone(const fs::path &from, const fs::path &to) {
    published_[to] = published_.at(from);
}

void MemoryCheckpoints::remove(const fs::path &checkpoint) { published_.erase(checkpoint); }

bool MemoryCheckpoints::exists(const fs::path &checkpoint) const { return published_.count(checkpoint) > 0; }

void MemoryCheckpoints::remove_unlisted(const fs::path &trial_dir, const std::vector<fs::path> &keep) {
    for (auto it = published_.begin(); it != published_.end();) {
        const bool unlisted = it->first.parent_path() == trial_dir &&
                              std::find(keep.begin(), keep.end(), it->first) == keep.end();
        it = unlisted ? published_.erase(it) : std::next(it);
    }
    for (auto it = prepared_.begin(); it != prepared_.end();)
        it = it->first.parent_path() == trial_dir ? prepared_.erase(it) : std::next(it);
}

void MemoryCheckpoints::write(const fs::path &folder, nlohmann::json contents) {
    prepared_.at(folder) = std::move(contents);
}

const nlohmann::json &MemoryCheckpoints::read(const fs::path &folder) const { return published_.at(folder); }

void MemoryRecords::open(const std::string &trial_id, const fs::path &, const nlohmann::json &config,
                         const core::LogExtent &kept) {
    TrialRecord &record = trials[trial_id];
    record.config = config;
    record.opens += 1;
    record.open = true;
    // As truncate_trial_logs cuts the files.
    if (record.results.size() > kept.results) record.results.resize(kept.results);
    std::size_t decisions = 0, exploits = 0;
    for (const auto &[iteration, name] : record.decisions) {
        const bool exploit = name == "EXPLOIT";
        if (exploits == kept.exploits && (exploit || iteration > kept.last_iteration)) break;
        exploits += exploit;
        ++decisions;
    }
    record.decisions.resize(decisions);
}

void MemoryRecords::result(const std::string &trial_id, const core::ResultLine &result) {
    TrialRecord &record = trials.at(trial_id);
    if (!record.open) throw std::logic_error("result for trial " + trial_id + " whose records are closed");
    record.results.push_back(nlohmann::json::parse(result.text()));
}

void MemoryRecords::decision(const std::string &trial_id, long long iteration, const char *decision,
                             const std::string &) {
    trials.at(trial_id).decisions.emplace_back(iteration, decision);
}

void MemoryRecords::idle_decision(const std::string &trial_id, const fs::path &, long long iteration,
                                  const char *decision, const std::string &) {
    TrialRecord &record = trials[trial_id];
    if (record.open) throw std::logic_error("idle decision for trial " + trial_id + " whose records are open");
    record.decisions.emplace_back(iteration, decision);
}

void MemoryRecords::exploit(const fs::path &, const fs::path &, const core::ExploitRecord &exploit) {
    TrialRecord &record = trials.at(exploit.trial_id);
    if (record.open) throw std::logic_error("trial " + exploit.trial_id + " exploited while its records are open");
    record.decisions.emplace_back(exploit.iteration, "EXPLOIT");
    exploits.push_back(exploit);
}

void MemoryRecords::close(const std::string &trial_id) { trials.at(trial_id).open = false; }

void MemoryRecords::failure(const fs::path &trial_dir, long long, long long, const std::string &message) {
    const std::string name = trial_dir.filename().string(); // trial_<id>
    trials.at(name.substr(name.find('_') + 1)).failures.push_back(message);
}

std::vector<long long> MemoryRecords::iterations(const std::string &trial_id) const {
    std::vector<long long> list;
    for (const auto &result : trials.at(trial_id).results) list.push_back(iteration_of(result));
    return list;
}

} // namespace tune::test
