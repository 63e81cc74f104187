// Accounting of the CPUs and GPUs that trials reserve, node by node: a trial's allocation
// lies on one node (this machine, or one node of an MPI job).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config/experiment.hpp"
#include "core/execution/allocation.hpp"
#include "core/execution/node_resources.hpp"

namespace tune::core {

// The nodes an experiment may place trials on: the detected ones with the experiment's
// settings applied (cpus_per_node / gpus_per_node, or total_cpus / total_gpus on one node;
// trials_on_controller, which has no effect on a single node). Throws ExperimentSetupError naming the setting that cannot apply.
std::vector<NodeResources> experiment_nodes(std::vector<NodeResources> detected, const Experiment &experiment);

// Not thread-safe; owned by the controller's thread.
class ResourcePool {
public:
    explicit ResourcePool(std::vector<NodeResources> nodes);
    ResourcePool(double total_cpus, int total_gpus); // one node: local_node(total_cpus, total_gpus)

    // Reserves request on the first node where it fits now. A fractional GPU request (< 1)
    // goes to the device with the least free share that still fits it (best fit), so that
    // fractions pack onto as few devices as possible and whole devices stay free for
    // whole-GPU trials.
    std::optional<Allocation> try_allocate(const ResourceRequest &request);
    void release(const Allocation &allocation);

    // Whether request could ever fit one node of an empty pool (else it would wait forever).
    bool fits_empty_pool(const ResourceRequest &request) const;

    const std::vector<NodeResources> &nodes() const { return nodes_; }
    double total_cpus() const;
    int total_gpus() const;
    double used_cpus() const;
    double free_cpus(std::size_t node) const; // the node's CPUs that no allocation holds
    double used_gpus() const;

private:
    struct NodeUsage {
        double used_cpus = 0.0;
        std::vector<double> gpu_free; // free share of each device, 0..1
    };
    std::optional<Allocation> try_allocate_on(std::size_t node, const ResourceRequest &request);

    std::vector<NodeResources> nodes_;
    std::vector<NodeUsage> usage_;
};

} // namespace tune::core
