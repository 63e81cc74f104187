// Where an experiment's trials run: the nodes that offer resources, whether they all see the
// results folder, and the executor that reaches them. One machine (core/worker/local_backend)
// or the ranks of an MPI job (core/mpi/mpi_backend); the engine knows only this interface.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/execution/node_resources.hpp"
#include "core/execution/trial_executor.hpp"

namespace tune::core {

// What a node needs to run the experiment's trials in tune-worker processes.
struct WorkerSetup {
    std::filesystem::path worker_executable; // tune-worker (a node agent uses the one beside its own tune)
    std::filesystem::path log_dir;           // <log_name_prefix>_NNN.log files go here
    std::filesystem::path trainable_library; // the trainable plugin's library file
    std::string trainable_id;
    // A request unanswered for this long ends its worker, and the trial is Lost. 0: no limit.
    double step_timeout_s = 0.0;
    std::string log_name_prefix = "worker"; // agents add their rank, so that logs of nodes sharing a folder never collide
};

// Not thread-safe: the controller's thread calls every function.
class ExecutionBackend {
public:
    virtual ~ExecutionBackend() = default;

    // The nodes that may run trials, as they detect themselves (before the experiment's
    // settings: see experiment_nodes in core/engine/resource_pool.hpp).
    virtual std::vector<NodeResources> nodes() = 0;
    // Whether every node sees the existing folder: nullopt if so, else what is wrong, naming
    // the node and the path.
    virtual std::optional<std::string> unshared_folder(const std::filesystem::path &folder) = 0;
    // The executor for the experiment's trials; called once.
    virtual std::unique_ptr<TrialExecutor> executor(const WorkerSetup &setup) = 0;
};

} // namespace tune::core
