#include "core/report/trial_records.hpp"

#include <fstream>

#include <fmt/format.h>

#include "core/report/experiment_summary.hpp"
#include "core/state/experiment_errors.hpp"

namespace tune::core {

void TrialLogFiles::open(const std::string &trial_id, const std::filesystem::path &trial_dir,
                         const nlohmann::json &config, const LogExtent &kept) {
    open_.erase(trial_id);
    // Always cut: after a resume the logs may hold results the saved state never saw.
    truncate_trial_logs(trial_dir, kept);
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

namespace {

// Appends to a file of a trial that may never have run (its folder not made yet).
void append_line(const std::filesystem::path &file, const std::string &line) {
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    std::ofstream out(file, std::ios::app);
    out << line << '\n';
    if (!out.flush()) throw DiskError("cannot write " + file.string());
}

} // namespace

void TrialLogFiles::idle_decision(const std::string &trial_id, const std::filesystem::path &trial_dir,
                                  long long iteration, const char *decision, const std::string &detail_json) {
    if (open_.count(trial_id)) throw std::logic_error("trial " + trial_id + " is running: its logger takes decisions");
    append_line(trial_dir / "decisions.jsonl", fmt::format("{{\"training_iteration\":{},\"decision\":\"{}\",\"detail\":{}}}",
                                                           iteration, decision,
                                                           detail_json.empty() ? "{}" : detail_json));
}

void TrialLogFiles::exploit(const std::filesystem::path &experiment_dir, const std::filesystem::path &trial_dir,
                            const ExploitRecord &exploit) {
    if (open_.count(exploit.trial_id))
        throw std::logic_error("trial " + exploit.trial_id + " is exploited while its records are open");
    nlohmann::json detail = exploit.detail_json.empty() ? nlohmann::json::object()
                                                        : nlohmann::json::parse(exploit.detail_json, nullptr, false);
    if (!detail.is_object()) detail = {{"text", exploit.detail_json}};
    detail["donor"] = exploit.donor_id;
    detail["donor_iteration"] = exploit.donor_iteration;
    detail["old_config"] = exploit.old_config;
    detail["new_config"] = exploit.new_config;
    detail["time"] = exploit.time;
    append_line(trial_dir / "decisions.jsonl",
                nlohmann::json{{"training_iteration", exploit.iteration}, {"decision", "EXPLOIT"}, {"detail", detail}}
                    .dump());
    if (!exploit.log_config) return;
    // Ray's six fields, so that its PopulationBasedTrainingReplay reads these files.
    const std::string policy = nlohmann::json::array({exploit.trial_id, exploit.donor_id, exploit.iteration,
                                                      exploit.donor_iteration, exploit.donor_config,
                                                      exploit.new_config})
                                   .dump();
    append_line(experiment_dir / "pbt_global.txt", policy);
    // The trial now carries the donor's policy, and then this step.
    const auto donor_policy = experiment_dir / ("pbt_policy_" + exploit.donor_id + ".txt");
    const auto trial_policy = experiment_dir / ("pbt_policy_" + exploit.trial_id + ".txt");
    std::error_code ec;
    if (std::filesystem::exists(donor_policy, ec)) {
        std::filesystem::copy_file(donor_policy, trial_policy, std::filesystem::copy_options::overwrite_existing, ec);
        if (ec) throw DiskError("cannot copy " + donor_policy.string() + " to " + trial_policy.string() + ": " +
                                ec.message());
    } else {
        std::filesystem::remove(trial_policy, ec);
    }
    append_line(trial_policy, policy);
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
    // One line per failure: the message's own line breaks (a worker's last output) become \n.
    std::string one_line;
    for (const char c : message) {
        if (c == '\n') one_line += "\\n";
        else if (c != '\r') one_line += c;
    }
    std::ofstream errors(file, std::ios::app);
    errors << fmt::format("failure {} at {} after training_iteration {}: {}\n", failure_number, utc_now_iso8601(),
                          iteration, one_line);
    if (!errors.flush()) throw DiskError("cannot write " + file.string());
}

void TrialLogFiles::flush() {
    for (auto &[id, logger] : open_) logger->flush();
}

} // namespace tune::core
