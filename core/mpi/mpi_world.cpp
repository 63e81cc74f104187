#include "core/mpi/mpi_world.hpp"

#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "core/execution/node_resources.hpp"

namespace tune::core::mpi {

MpiWorld::MpiWorld() {
    int initialized = 0;
    MPI_Initialized(&initialized);
    if (!initialized) check_mpi(MPI_Init(nullptr, nullptr), "MPI_Init");
    link_ = std::make_unique<MpiLink>(MPI_COMM_WORLD);
}

MpiWorld::~MpiWorld() {
    link_.reset();
    MPI_Finalize();
}

NodeReport MpiWorld::node_report(bool node_per_rank) {
    NodeReport report;
    report.rank = rank();
    char host[MPI_MAX_PROCESSOR_NAME];
    int host_size = 0;
    MPI_Get_processor_name(host, &host_size);
    report.host.assign(host, static_cast<std::size_t>(host_size));

    MPI_Comm node;
    check_mpi(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, report.rank, MPI_INFO_NULL, &node),
              "MPI_Comm_split_type");
    int local_rank = 0, local_size = 1, lowest = report.rank;
    MPI_Comm_rank(node, &local_rank);
    MPI_Comm_size(node, &local_size);
    MPI_Allreduce(&report.rank, &lowest, 1, MPI_INT, MPI_MIN, node);
    MPI_Comm_free(&node);

    const NodeResources here = local_node(detect_cpus(), detect_gpus());
    report.visible_devices = here.visible_devices;
    if (node_per_rank) {
        report.node_key = "rank " + std::to_string(report.rank);
        report.local_rank = 0;
        report.local_size = 1;
        report.cpus = std::max(1.0, std::floor(here.cpus / local_size));
        for (std::size_t i = static_cast<std::size_t>(local_rank); i < here.gpu_names.size();
             i += static_cast<std::size_t>(local_size))
            report.gpu_names.push_back(here.gpu_names[i]);
    } else {
        report.node_key = "rank " + std::to_string(lowest);
        report.local_rank = local_rank;
        report.local_size = local_size;
        report.cpus = here.cpus;
        report.gpu_names = here.gpu_names;
    }
    return report;
}

} // namespace tune::core::mpi
