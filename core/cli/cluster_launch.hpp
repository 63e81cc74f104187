// `tune run` and `tune resume` in an MPI job (mpirun -np N tune run ..., srun tune run ...):
// rank 0 runs the experiment over every node, the other ranks serve it as node agents.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

#include "core/execution/execution_backend.hpp"

namespace tune::cli {

struct ClusterFlags {
    bool node_per_rank = false; // every rank a node of its own (trying a cluster layout on one machine)
};
void add_cluster_flags(CLI::App &command, ClusterFlags &flags);

// In a process that no MPI launcher started as one of several: body(nullptr), on this
// machine. In an MPI job: rank 0 runs body with the job's backend; every other rank serves it
// as a node agent until it is done. Returns the exit status. A tune built without MPI that was
// started as one of several processes says so and returns 2 (they would all run the whole
// experiment into one folder).
int with_cluster(const ClusterFlags &flags, const std::function<int(core::ExecutionBackend *backend)> &body);

} // namespace tune::cli
