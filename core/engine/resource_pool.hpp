// Accounting of the CPUs and GPUs that trials reserve, node by node: a trial's allocation
// lies on one node (today there is one, this machine).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config/experiment.hpp"
#include "core/execution/allocation.hpp"

namespace tune::core {

// What one node offers the experiment.
struct NodeResources {
    std::string name;                   // "localhost" for this machine
    double cpus = 0.0;
    std::vector<std::string> gpu_names; // each GPU as the node's CUDA_VISIBLE_DEVICES names it ("0", "GPU-<uuid>")
};

// This machine with cpus CPUs and gpus GPUs. The GPUs are named by the host's own
// CUDA_VISIBLE_DEVICES when it is set (2,3 -> "2", "3"), else by their indices.
NodeResources local_node(double cpus, int gpus);

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

// The machine's GPUs as the NVIDIA driver lists them (/proc/driver/nvidia/gpus), limited by
// CUDA_VISIBLE_DEVICES when it is set; 0 when there is no driver.
int detect_gpus();

} // namespace tune::core
