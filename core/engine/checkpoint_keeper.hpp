// Keeps each trial's checkpoints, as Ray Tune's checkpoint manager does: names and publishes
// them, records their scores, and applies retention (num_to_keep by score, always the
// latest). A checkpoint retention drops is deleted only once no saved copy of the experiment
// state names it any more, so that a resume never finds its checkpoint gone.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "core/config/experiment.hpp"
#include "core/engine/trial.hpp"
#include "core/state/checkpoint_storage.hpp"
#include "core/state/experiment_state.hpp"

namespace tune::core {

// Not thread-safe; the controller's thread calls it.
class CheckpointKeeper {
public:
    // metric scores checkpoints unless policy names a score_attribute.
    CheckpointKeeper(CheckpointStorage &storage, CheckpointPolicy policy, std::string metric);

    // The folder a trainable saves trial's checkpoint of iteration into. Throws DiskError.
    std::filesystem::path begin(const Trial &trial, long long iteration);
    // That save finished: publishes the checkpoint, records it with the score of the trial's
    // last result, and applies retention. Throws DiskError.
    void commit(Trial &trial, long long iteration);

    // An exploit: recipient, which has just gained a lineage step, continues from donor's
    // checkpoint. Copies it into the recipient's folder as its only checkpoint (the ones it had
    // belong to its old lineage and are dropped), so the donor's retention never touches it.
    // Throws DiskError.
    void adopt(Trial &recipient, const CheckpointRecord &donor);

    // The state with this sequence number was saved: deletes the checkpoints that neither it
    // nor the previous copy can name.
    void state_saved(std::uint64_t sequence);
    // Deletes every dropped checkpoint now (the experiment is over, its state saved).
    void delete_dropped();

    // Resume: trial's checkpoints as saved (relative to experiment_dir), without those whose
    // folders are gone; checkpoint folders the saved state does not know are deleted.
    void restore(Trial &trial, const std::vector<CheckpointState> &saved, const std::filesystem::path &experiment_dir);

    // "checkpoint_000005"; "checkpoint_000005_gen2" in a trial's lineage after two exploits,
    // whose iterations may repeat those of its earlier checkpoints.
    static std::string folder_name(long long iteration, std::size_t generation = 0);

private:
    void apply_retention(Trial &trial);
    void drop(const CheckpointRecord &checkpoint);

    CheckpointStorage &storage_;
    CheckpointPolicy policy_;
    std::string score_attribute_;
    std::uint64_t saved_sequence_ = 0; // of the newest state saved
    // Checkpoints retention dropped, with the newest state sequence that may still name them.
    std::vector<std::pair<std::uint64_t, std::filesystem::path>> dropped_;
};

} // namespace tune::core
