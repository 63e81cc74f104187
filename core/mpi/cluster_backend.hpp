// The execution backend of rank 0 in an MPI job: the nodes are what the agents said in their
// Hello (one per node, however many ranks it has), the results folder is checked by a probe
// file every agent must read, and the executor relays to the agents (RelayExecutor). It talks
// through a RankLink, so tests drive it with no MPI at all.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/execution/execution_backend.hpp"
#include "core/mpi/node_agent.hpp"
#include "core/mpi/rank_link.hpp"

namespace tune::core::mpi {

class ClusterBackend final : public ExecutionBackend {
public:
    // Waits up to reply_timeout_s for every other rank's Hello. own: rank 0's own report.
    // make_local makes the executor of rank 0's node. Throws std::runtime_error naming the
    // ranks that did not say Hello, or one that sent something else.
    ClusterBackend(RankLink &link, NodeReport own, NodeAgent::ExecutorFactory make_local, double reply_timeout_s = 60.0);
    ~ClusterBackend() override; // tells every agent to Quit
    ClusterBackend(const ClusterBackend &) = delete;
    ClusterBackend &operator=(const ClusterBackend &) = delete;

    // One per node, in the order of their lowest ranks; a node's name is its host name, with
    // "/r<rank>" added where several nodes share a host (node_per_rank).
    std::vector<NodeResources> nodes() override;
    std::optional<std::string> unshared_folder(const std::filesystem::path &folder) override;
    std::unique_ptr<TrialExecutor> executor(const WorkerSetup &setup) override;

    const std::vector<NodeReport> &reports() const { return reports_; } // by rank

private:
    std::string node_name(const NodeReport &leader) const;

    RankLink &link_;
    NodeAgent::ExecutorFactory make_local_;
    double reply_timeout_s_;
    std::vector<NodeReport> reports_;
};

} // namespace tune::core::mpi
