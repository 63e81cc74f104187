// What one node offers an experiment, and how this machine finds out what it offers.
#pragma once

#include <string>
#include <vector>

namespace tune::core {

struct NodeResources {
    std::string name;                   // the node's name ("localhost" on one machine, else its host name)
    double cpus = 0.0;
    std::vector<std::string> gpu_names; // each GPU as the node's CUDA_VISIBLE_DEVICES names it ("0", "GPU-<uuid>")
    int rank = 0;                       // the MPI rank that runs its trials; 0 is the controller's own
    // The node's CUDA_VISIBLE_DEVICES entries (empty when unset): the names of the GPUs an
    // override of its GPU count adds where the driver shows fewer (a container).
    std::vector<std::string> visible_devices;
};

// This machine with cpus CPUs and gpus GPUs. The GPUs are named by the process's own
// CUDA_VISIBLE_DEVICES when it is set (2,3 -> "2", "3"), else by their indices.
NodeResources local_node(double cpus, int gpus);

// The name of the node's GPU number index: its CUDA_VISIBLE_DEVICES entry, else the index.
std::string device_name(const NodeResources &node, std::size_t index);

// The machine's GPUs as the NVIDIA driver lists them (/proc/driver/nvidia/gpus), limited by
// CUDA_VISIBLE_DEVICES when it is set; 0 when there is no driver.
int detect_gpus();

// The CPUs this process may run on (its affinity mask, which Slurm and cgroup-aware launchers
// narrow), at least 1.
unsigned detect_cpus();

} // namespace tune::core
