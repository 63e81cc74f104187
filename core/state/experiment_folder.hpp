// The experiment's folder (<results_dir>/<name>) as one host owns it: created or reopened,
// and locked (tune.lock) for as long as this object lives.
#pragma once

#include <filesystem>
#include <memory>

#include "core/config/experiment.hpp"
#include "core/state/experiment_lock.hpp"

namespace tune::core {

class ExperimentFolder {
public:
    // A new experiment: refuses a folder that already holds one unless overwrite (and never
    // one another host holds), then creates it with its logs/ folder, takes the lock and
    // writes experiment.json. Throws ExperimentSetupError.
    static std::unique_ptr<ExperimentFolder> create(const std::filesystem::path &dir, const Experiment &experiment,
                                                    bool overwrite);
    // `tune resume`: the folder is the experiment's; everything in it is kept. Throws
    // ExperimentSetupError if another host holds it, DiskError if logs/ cannot be made.
    static std::unique_ptr<ExperimentFolder> reopen(const std::filesystem::path &dir);

    // Whether dir holds an experiment whose host died before its first state save (between
    // writing experiment.json and the first rename of the state): no trial has run there, and
    // nothing in it is worth keeping, so `tune run --resume` starts it afresh.
    static bool stopped_before_first_save(const std::filesystem::path &dir);

    const std::filesystem::path &dir() const { return dir_; }
    std::filesystem::path log_dir() const { return dir_ / "logs"; } // the workers' logs

private:
    explicit ExperimentFolder(std::filesystem::path dir);
    void lock();

    std::filesystem::path dir_;
    std::unique_ptr<ExperimentLock> lock_;
};

} // namespace tune::core
