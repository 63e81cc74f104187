#include "core/cli/cluster_launch.hpp"

#include <iostream>

#include <fmt/format.h>

#include "core/cli/exit_codes.hpp"
#include "core/mpi/launcher_environment.hpp"

#ifdef TUNE_WITH_MPI
#include "core/mpi/cluster_backend.hpp"
#include "core/mpi/mpi_world.hpp"
#include "core/mpi/node_agent.hpp"
#include "core/plugin/search_path.hpp"
#include "core/worker/local_executor.hpp"
#endif

namespace tune::cli {

void add_cluster_flags(CLI::App &command, ClusterFlags &flags) {
    command.add_flag("--node-per-rank", flags.node_per_rank,
                     "Under mpirun or srun: count every rank as a node of its own, with an equal share of its "
                     "host's CPUs (to try a multi-node layout on one machine)");
}

#ifdef TUNE_WITH_MPI

int with_cluster(const ClusterFlags &flags, const std::function<int(core::ExecutionBackend *)> &body) {
    if (core::mpi::launched_world_size() <= 1) return body(nullptr);
    std::unique_ptr<core::mpi::MpiWorld> world;
    try {
        world = std::make_unique<core::mpi::MpiWorld>();
    } catch (const std::exception &e) {
        std::cerr << "tune: error: cannot join the MPI job: " << e.what() << "\n";
        return kExitUsage;
    }
    const core::mpi::NodeReport report = world->node_report(flags.node_per_rank);
    if (world->rank() != 0) {
        // The agent's workers are the tune-worker beside its own tune, wherever rank 0's is.
        const auto worker = core::current_executable().parent_path() / "tune-worker";
        core::mpi::NodeAgent agent(world->link(), report, [worker](core::WorkerSetup setup) {
            setup.worker_executable = worker;
            return std::make_unique<core::LocalExecutor>(std::move(setup));
        });
        return agent.serve() == 0 ? kExitSuccess : kExitFailure;
    }
    std::unique_ptr<core::mpi::ClusterBackend> backend;
    try {
        backend = std::make_unique<core::mpi::ClusterBackend>(world->link(), report, [](const core::WorkerSetup &setup) {
            return std::make_unique<core::LocalExecutor>(setup);
        });
    } catch (const std::exception &e) {
        std::cerr << "tune: error: " << e.what() << "\n";
        return kExitUsage;
    }
    return body(backend.get()); // then backend tells the agents to quit, and world finalizes MPI
}

#else

int with_cluster(const ClusterFlags &, const std::function<int(core::ExecutionBackend *)> &body) {
    const int ranks = core::mpi::launched_world_size();
    if (ranks <= 1) return body(nullptr);
    std::cerr << fmt::format(
        "tune: error: this tune was built without MPI support (TUNE_WITH_MPI=OFF), but an MPI launcher started it "
        "as one of {} processes: each would run the whole experiment into the same folder. Build tune with "
        "-DTUNE_WITH_MPI=ON (Debian: libopenmpi-dev), or start a single tune\n",
        ranks);
    return kExitUsage;
}

#endif

} // namespace tune::cli
