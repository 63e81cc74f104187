// Where checkpoints live. The checkpoint keeper (core/engine) decides which to keep; the
// storage makes, publishes and deletes the folders.
#pragma once

#include <filesystem>
#include <vector>

namespace tune::core {

// Not thread-safe; the controller's thread calls it.
class CheckpointStorage {
public:
    virtual ~CheckpointStorage() = default;

    // An existing empty folder for a trainable to save the checkpoint that will be published
    // as `checkpoint`. Throws DiskError.
    virtual std::filesystem::path prepare(const std::filesystem::path &checkpoint) = 0;
    // Publishes the folder prepare gave once the save is complete: `checkpoint` then appears
    // whole or not at all, and survives a power loss. Throws DiskError.
    virtual void commit(const std::filesystem::path &checkpoint) = 0;
    // Publishes `to` as a copy of the published checkpoint `from` (another trial's, for an
    // exploit), so that `to` outlives whatever happens to `from`. Throws DiskError.
    virtual void clone(const std::filesystem::path &from, const std::filesystem::path &to) = 0;
    // Deletes a checkpoint; a failure is only a warning.
    virtual void remove(const std::filesystem::path &checkpoint) = 0;
    virtual bool exists(const std::filesystem::path &checkpoint) const = 0;
    // Deletes every checkpoint folder in trial_dir that is not in keep: folders written after
    // the state was last saved, or left half written by a killed host.
    virtual void remove_unlisted(const std::filesystem::path &trial_dir,
                                 const std::vector<std::filesystem::path> &keep) = 0;
};

// Checkpoints as folders on the file system: written under <name>.tmp, fsynced, renamed. A
// clone hard-links the files (a published checkpoint's files are never written again, and a
// link costs no space or copying time), and copies them where the file system cannot link.
class FileCheckpointStorage final : public CheckpointStorage {
public:
    std::filesystem::path prepare(const std::filesystem::path &checkpoint) override;
    void commit(const std::filesystem::path &checkpoint) override;
    void clone(const std::filesystem::path &from, const std::filesystem::path &to) override;
    void remove(const std::filesystem::path &checkpoint) override;
    bool exists(const std::filesystem::path &checkpoint) const override;
    void remove_unlisted(const std::filesystem::path &trial_dir, const std::vector<std::filesystem::path> &keep) override;
};

} // namespace tune::core
