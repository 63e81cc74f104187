#include "core/engine/checkpoint_keeper.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace tune::core {
namespace fs = std::filesystem;

CheckpointKeeper::CheckpointKeeper(CheckpointStorage &storage, CheckpointPolicy policy, std::string metric)
    : storage_(storage), policy_(std::move(policy)),
      score_attribute_(policy_.score_attribute.empty() ? std::move(metric) : policy_.score_attribute) {}

std::string CheckpointKeeper::folder_name(long long iteration, std::size_t generation) {
    if (generation == 0) return fmt::format("checkpoint_{:06}", iteration);
    return fmt::format("checkpoint_{:06}_gen{}", iteration, generation);
}

fs::path CheckpointKeeper::begin(const Trial &trial, long long iteration) {
    return storage_.prepare(trial.dir / folder_name(iteration, trial.lineage.size()));
}

void CheckpointKeeper::commit(Trial &trial, long long iteration) {
    const fs::path dir = trial.dir / folder_name(iteration, trial.lineage.size());
    storage_.commit(dir);
    // A retried trial may save an iteration again: replace the record rather than add a twin.
    trial.checkpoints.erase(std::remove_if(trial.checkpoints.begin(), trial.checkpoints.end(),
                                           [&](const auto &c) { return c.iteration >= iteration; }),
                            trial.checkpoints.end());
    const auto score = trial.last_result ? trial.last_result->number(score_attribute_) : std::nullopt;
    trial.checkpoints.push_back(
        {iteration, dir, score.value_or(std::numeric_limits<double>::quiet_NaN()), trial.time_total_s});
    apply_retention(trial);
}

void CheckpointKeeper::adopt(Trial &recipient, const CheckpointRecord &donor) {
    const fs::path dir = recipient.dir / folder_name(donor.iteration, recipient.lineage.size());
    storage_.clone(donor.dir, dir);
    for (const auto &checkpoint : recipient.checkpoints) drop(checkpoint);
    recipient.checkpoints = {{donor.iteration, dir, donor.score, donor.time_total_s}};
}

void CheckpointKeeper::drop(const CheckpointRecord &checkpoint) { dropped_.emplace_back(saved_sequence_, checkpoint.dir); }

void CheckpointKeeper::apply_retention(Trial &trial) {
    const long long keep = policy_.num_to_keep;
    if (keep <= 0 || static_cast<long long>(trial.checkpoints.size()) <= keep) return;
    // Keep the num_to_keep best by score (NaN counts as worst), and always the latest, which a
    // paused or failed trial resumes from.
    std::vector<std::size_t> order(trial.checkpoints.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    const bool maximize = policy_.score_order == TUNE_MODE_MAX;
    auto better = [&](std::size_t a, std::size_t b) {
        const double sa = trial.checkpoints[a].score, sb = trial.checkpoints[b].score;
        if (std::isnan(sa) != std::isnan(sb)) return std::isnan(sb);
        if (sa != sb) return maximize ? sa > sb : sa < sb;
        return trial.checkpoints[a].iteration > trial.checkpoints[b].iteration; // newer wins ties
    };
    std::stable_sort(order.begin(), order.end(), better);
    std::vector<bool> kept(order.size(), false);
    for (long long i = 0; i < keep; ++i) kept[order[static_cast<std::size_t>(i)]] = true;
    kept.back() = true;
    std::vector<CheckpointRecord> remaining;
    for (std::size_t i = 0; i < trial.checkpoints.size(); ++i) {
        if (kept[i]) remaining.push_back(trial.checkpoints[i]);
        else drop(trial.checkpoints[i]);
    }
    trial.checkpoints = std::move(remaining);
}

void CheckpointKeeper::state_saved(std::uint64_t sequence) {
    saved_sequence_ = sequence;
    // A checkpoint dropped when state N was the newest is named by N and maybe by N - 1 (the
    // previous copy); once N + 2 is saved, neither copy on disk is that old.
    auto gone = std::remove_if(dropped_.begin(), dropped_.end(), [&](const auto &dropped) {
        if (dropped.first + 2 > sequence) return false;
        storage_.remove(dropped.second);
        return true;
    });
    dropped_.erase(gone, dropped_.end());
}

void CheckpointKeeper::delete_dropped() {
    for (const auto &dropped : dropped_) storage_.remove(dropped.second);
    dropped_.clear();
}

void CheckpointKeeper::restore(Trial &trial, const std::vector<CheckpointState> &saved, const fs::path &experiment_dir) {
    trial.checkpoints.clear();
    std::vector<fs::path> known;
    for (const CheckpointState &c : saved) {
        const fs::path dir = experiment_dir / c.dir;
        if (!storage_.exists(dir)) {
            spdlog::warn("trial {}: checkpoint {} named by the saved state is gone; it resumes from an earlier one",
                         trial.id, dir.string());
            continue;
        }
        trial.checkpoints.push_back({c.iteration, dir, c.score, c.time_total_s});
        known.push_back(dir);
    }
    storage_.remove_unlisted(trial.dir, known);
}

} // namespace tune::core
