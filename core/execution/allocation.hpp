// What one running trial holds, and where: a node, CPUs and GPUs on it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace tune::core {

struct Allocation {
    std::size_t node = 0;  // index of the node in the resource pool (0 on a single machine)
    std::string node_name; // the node's name, as the pool knows it ("localhost" on one machine)
    int rank = 0;          // the MPI rank that runs the node's trials (0: the controller's own)
    double cpu = 0.0;
    double gpu = 0.0;
    std::vector<int> devices;       // GPU indices on the node; one for a fraction, N for N whole GPUs
    std::vector<double> gpu_shares; // per device in `devices`, the share taken (<= 1)
    // "0", "1,2", or "" for no GPU: the worker's CUDA_VISIBLE_DEVICES, in the node's own names
    // for its devices (the node's CUDA_VISIBLE_DEVICES entries when it has one).
    std::string cuda_visible_devices;

    // CPUs the trial's intra-op thread pool should use: at least 1.
    unsigned threads() const;
};

} // namespace tune::core
