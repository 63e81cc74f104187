#include "core/state/experiment_folder.hpp"

#include <fstream>

#include <fmt/format.h>

#include "core/config/experiment_json.hpp"
#include "core/state/experiment_errors.hpp"
#include "core/state/state_store.hpp"

namespace tune::core {
namespace fs = std::filesystem;

ExperimentFolder::ExperimentFolder(fs::path dir) : dir_(std::move(dir)) {}

void ExperimentFolder::lock() {
    try {
        lock_ = std::make_unique<ExperimentLock>(dir_);
    } catch (const std::exception &e) {
        throw ExperimentSetupError(e.what());
    }
}

std::unique_ptr<ExperimentFolder> ExperimentFolder::reopen(const fs::path &dir) {
    std::unique_ptr<ExperimentFolder> folder(new ExperimentFolder(dir));
    folder->lock();
    std::error_code ec;
    fs::create_directories(folder->log_dir(), ec);
    if (ec) throw DiskError(fmt::format("cannot create {}: {}", folder->log_dir().string(), ec.message()));
    return folder;
}

bool ExperimentFolder::stopped_before_first_save(const fs::path &dir) {
    std::error_code ec;
    return fs::is_regular_file(dir / "experiment.json", ec) && !fs::exists(dir / "summary.json", ec) &&
           !StateStore(dir).exists();
}

std::unique_ptr<ExperimentFolder> ExperimentFolder::create(const fs::path &dir, const Experiment &experiment,
                                                           bool overwrite) {
    std::unique_ptr<ExperimentFolder> folder(new ExperimentFolder(dir));
    try {
        ExperimentLock::check_free(dir); // --overwrite must not pull a folder from under a run
    } catch (const ExperimentLockedError &e) {
        throw ExperimentSetupError(e.what());
    }
    std::error_code ec;
    if (fs::exists(dir / "summary.json", ec) || fs::exists(dir / "experiment.json", ec) || StateStore(dir).exists()) {
        if (!overwrite)
            throw ExperimentSetupError(fmt::format("{} already holds an experiment; pass --overwrite to replace it, "
                                                   "--resume (or `tune resume {}`) to continue it, "
                                                   "or choose another experiment.name or results_dir",
                                                   dir.string(), dir.string()));
        fs::remove_all(dir, ec);
        if (ec) throw ExperimentSetupError(fmt::format("cannot remove {}: {}", dir.string(), ec.message()));
    }
    fs::create_directories(folder->log_dir(), ec);
    if (ec) throw ExperimentSetupError(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
    folder->lock();
    std::ofstream out(dir / "experiment.json");
    out << experiment_to_json(experiment).dump(2) << "\n";
    if (!out.flush()) throw ExperimentSetupError("cannot write " + (dir / "experiment.json").string());
    return folder;
}

} // namespace tune::core
