// This process's place in an MPI job: MPI_Init and MPI_Finalize, its rank, and which node it
// is on. One per process, made before anything else talks MPI.
#pragma once

#include <memory>

#include "core/mpi/mpi_link.hpp"
#include "core/mpi/relay_protocol.hpp"

namespace tune::core::mpi {

class MpiWorld {
public:
    // MPI_Init. Throws std::runtime_error when MPI cannot start.
    MpiWorld();
    ~MpiWorld(); // the link's last sends, then MPI_Finalize
    MpiWorld(const MpiWorld &) = delete;
    MpiWorld &operator=(const MpiWorld &) = delete;

    int rank() const { return link_->rank(); }
    int size() const { return link_->size(); }
    RankLink &link() { return *link_; }

    // This rank's node: ranks that share memory (MPI_Comm_split_type) are one node, whose
    // lowest rank runs its trials with the CPUs and GPUs this process may use. With
    // node_per_rank every rank is a node of its own, offered an equal share of its host's
    // CPUs (at least 1) and every local_size-th of its GPUs: several "nodes" on one machine,
    // for trying out a cluster layout. Collective: every rank calls it, once.
    NodeReport node_report(bool node_per_rank);

private:
    std::unique_ptr<MpiLink> link_;
};

} // namespace tune::core::mpi
