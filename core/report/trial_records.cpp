#include "core/report/trial_records.hpp"

#include <fstream>

#include <fmt/format.h>

#include "core/report/experiment_summary.hpp"
#include "core/state/experiment_errors.hpp"

namespace tune::core {

void TrialLogFiles::open(const std::string &trial_id, const std::filesystem::path &trial_dir,
                         const nlohmann::json &config, long long resume_from) {
    open_.erase(trial_id);
    // Always cut: after a resume the logs may hold results the saved state never saw.
    truncate_trial_logs(trial_dir, resume_from);
    open_[trial_id] = std::make_unique<TrialLogger>(trial_dir, config);
}

TrialLogger &TrialLogFiles::logger(const std::string &trial_id) {
    auto found = open_.find(trial_id);
    if (found == open_.end()) throw std::logic_error("trial " + trial_id + " has no open records");
    return *found->second;
}

void TrialLogFiles::result(const std::string &trial_id, const ResultLine &result) {
    logger(trial_id).log_result(result);
}

void TrialLogFiles::decision(const std::string &trial_id, long long iteration, const char *decision,
                             const std::string &detail_json) {
    logger(trial_id).log_decision(iteration, decision, detail_json);
}

void TrialLogFiles::close(const std::string &trial_id) {
    auto found = open_.find(trial_id);
    if (found == open_.end()) return;
    std::unique_ptr<TrialLogger> logger = std::move(found->second);
    open_.erase(found);
    logger->flush();
}

void TrialLogFiles::failure(const std::filesystem::path &trial_dir, long long failure_number, long long iteration,
                            const std::string &message) {
    // Every failure, not only the last, stays in the trial's folder (as Ray's error.txt).
    const auto file = trial_dir / "error.txt";
    std::ofstream errors(file, std::ios::app);
    errors << fmt::format("failure {} at {} after training_iteration {}: {}\n", failure_number, utc_now_iso8601(),
                          iteration, message);
    if (!errors.flush()) throw DiskError("cannot write " + file.string());
}

void TrialLogFiles::flush() {
    for (auto &[id, logger] : open_) logger->flush();
}

} // namespace tune::core
