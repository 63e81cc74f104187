// Accounting of the CPUs and GPUs that trials reserve.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config/experiment.hpp"

namespace tune::core {

// What one running trial holds.
struct Allocation {
    double cpu = 0.0;
    double gpu = 0.0;
    std::vector<int> devices;       // GPU indices; one for a fraction, N for N whole GPUs
    std::vector<double> gpu_shares; // per device in `devices`, the share taken (<= 1)

    // "0", "1,2", or "" for no GPU: the worker's CUDA_VISIBLE_DEVICES. Indices map through
    // the host's own CUDA_VISIBLE_DEVICES when that is set.
    std::string cuda_visible_devices() const;
    // CPUs the trial's intra-op thread pool should use: at least 1.
    unsigned threads() const;
};

// Not thread-safe; owned by the engine thread.
class ResourcePool {
public:
    ResourcePool(double total_cpus, int total_gpus);

    // Reserves request if it fits now. A fractional GPU request (< 1) goes to the device
    // with the least free share that still fits it (best fit), so fractions pack onto
    // as few devices as possible and whole devices stay free for whole-GPU trials.
    std::optional<Allocation> try_allocate(const ResourceRequest &request);
    void release(const Allocation &allocation);

    // Whether request could ever fit an empty pool (else it would wait forever).
    bool fits_empty_pool(const ResourceRequest &request) const;

    double total_cpus() const { return total_cpus_; }
    int total_gpus() const { return static_cast<int>(gpu_free_.size()); }
    double used_cpus() const { return used_cpus_; }
    double used_gpus() const;

private:
    double total_cpus_;
    double used_cpus_ = 0.0;
    std::vector<double> gpu_free_; // free share of each device, 0..1
};

// The machine's GPUs as the NVIDIA driver lists them (/proc/driver/nvidia/gpus), limited by
// CUDA_VISIBLE_DEVICES when it is set; 0 when there is no driver.
int detect_gpus();

} // namespace tune::core
