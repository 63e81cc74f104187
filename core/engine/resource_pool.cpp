#include "core/engine/resource_pool.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace tune::core {

namespace {
// Fractions such as 0.1 do not add up exactly in binary; compare with a tolerance.
constexpr double kEpsilon = 1e-9;
} // namespace

namespace {

// The host's own CUDA_VISIBLE_DEVICES entries ("2", "GPU-<uuid>"), empty when it is unset.
std::vector<std::string> host_visible_devices() {
    std::vector<std::string> names;
    if (const char *visible = std::getenv("CUDA_VISIBLE_DEVICES")) {
        std::stringstream list(visible);
        for (std::string item; std::getline(list, item, ',');)
            if (!item.empty()) names.push_back(item);
    }
    return names;
}

} // namespace

std::string Allocation::cuda_visible_devices() const {
    // Pool index i is the host's i-th visible device: a host started with
    // CUDA_VISIBLE_DEVICES=2,3 hands device "3", not "1", to a trial given index 1.
    const auto host_names = host_visible_devices();
    std::string text;
    for (std::size_t i = 0; i < devices.size(); ++i) {
        const auto index = static_cast<std::size_t>(devices[i]);
        text += (i ? "," : "") + (index < host_names.size() ? host_names[index] : std::to_string(devices[i]));
    }
    return text;
}

unsigned Allocation::threads() const { return std::max(1u, static_cast<unsigned>(std::floor(cpu + kEpsilon))); }

ResourcePool::ResourcePool(double total_cpus, int total_gpus)
    : total_cpus_(total_cpus), gpu_free_(static_cast<std::size_t>(std::max(0, total_gpus)), 1.0) {}

double ResourcePool::used_gpus() const {
    double used = 0.0;
    for (double free : gpu_free_) used += 1.0 - free;
    return used;
}

bool ResourcePool::fits_empty_pool(const ResourceRequest &request) const {
    if (request.cpu > total_cpus_ + kEpsilon) return false;
    if (request.gpu <= 0.0) return true;
    if (request.gpu < 1.0) return !gpu_free_.empty();
    return std::ceil(request.gpu - kEpsilon) <= static_cast<double>(gpu_free_.size());
}

std::optional<Allocation> ResourcePool::try_allocate(const ResourceRequest &request) {
    if (used_cpus_ + request.cpu > total_cpus_ + kEpsilon) return std::nullopt;
    Allocation allocation;
    allocation.cpu = request.cpu;
    allocation.gpu = request.gpu;
    if (request.gpu > 0.0 && request.gpu < 1.0) {
        int best = -1;
        for (int i = 0; i < static_cast<int>(gpu_free_.size()); ++i)
            if (gpu_free_[i] + kEpsilon >= request.gpu && (best < 0 || gpu_free_[i] < gpu_free_[best])) best = i;
        if (best < 0) return std::nullopt;
        allocation.devices = {best};
        allocation.gpu_shares = {request.gpu};
    } else if (request.gpu >= 1.0) {
        const auto wanted = static_cast<std::size_t>(std::ceil(request.gpu - kEpsilon));
        for (int i = 0; i < static_cast<int>(gpu_free_.size()) && allocation.devices.size() < wanted; ++i)
            if (gpu_free_[i] >= 1.0 - kEpsilon) allocation.devices.push_back(i);
        if (allocation.devices.size() < wanted) return std::nullopt;
        allocation.gpu_shares.assign(wanted, 1.0);
    }
    used_cpus_ += allocation.cpu;
    for (std::size_t i = 0; i < allocation.devices.size(); ++i) gpu_free_[allocation.devices[i]] -= allocation.gpu_shares[i];
    return allocation;
}

void ResourcePool::release(const Allocation &allocation) {
    used_cpus_ = std::max(0.0, used_cpus_ - allocation.cpu);
    for (std::size_t i = 0; i < allocation.devices.size(); ++i) {
        double &free = gpu_free_[allocation.devices[i]];
        free = std::min(1.0, free + allocation.gpu_shares[i]);
    }
}

int detect_gpus() {
    std::error_code ec;
    int count = 0;
    for (const auto &entry : std::filesystem::directory_iterator("/proc/driver/nvidia/gpus", ec)) {
        (void)entry;
        ++count;
    }
    if (ec) return 0;
    if (std::getenv("CUDA_VISIBLE_DEVICES")) count = std::min(count, static_cast<int>(host_visible_devices().size()));
    return count;
}

} // namespace tune::core
