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

NodeResources local_node(double cpus, int gpus) {
    NodeResources node{"localhost", cpus, {}};
    // Pool index i is the host's i-th visible device: a host started with
    // CUDA_VISIBLE_DEVICES=2,3 hands device "3", not "1", to a trial given index 1.
    const auto visible = host_visible_devices();
    for (int i = 0; i < gpus; ++i) {
        const auto index = static_cast<std::size_t>(i);
        node.gpu_names.push_back(index < visible.size() ? visible[index] : std::to_string(i));
    }
    return node;
}

ResourcePool::ResourcePool(std::vector<NodeResources> nodes) : nodes_(std::move(nodes)) {
    for (const auto &node : nodes_) usage_.push_back({0.0, std::vector<double>(node.gpu_names.size(), 1.0)});
}

ResourcePool::ResourcePool(double total_cpus, int total_gpus)
    : ResourcePool(std::vector<NodeResources>{local_node(total_cpus, std::max(0, total_gpus))}) {}

double ResourcePool::total_cpus() const {
    double total = 0.0;
    for (const auto &node : nodes_) total += node.cpus;
    return total;
}

int ResourcePool::total_gpus() const {
    int total = 0;
    for (const auto &node : nodes_) total += static_cast<int>(node.gpu_names.size());
    return total;
}

double ResourcePool::used_cpus() const {
    double used = 0.0;
    for (const auto &usage : usage_) used += usage.used_cpus;
    return used;
}

double ResourcePool::used_gpus() const {
    double used = 0.0;
    for (const auto &usage : usage_)
        for (double free : usage.gpu_free) used += 1.0 - free;
    return used;
}

bool ResourcePool::fits_empty_pool(const ResourceRequest &request) const {
    for (const auto &node : nodes_) {
        if (request.cpu > node.cpus + kEpsilon) continue;
        const auto gpus = static_cast<double>(node.gpu_names.size());
        if (request.gpu <= 0.0 || (request.gpu < 1.0 && gpus > 0) || std::ceil(request.gpu - kEpsilon) <= gpus)
            return true;
    }
    return false;
}

std::optional<Allocation> ResourcePool::try_allocate(const ResourceRequest &request) {
    for (std::size_t node = 0; node < nodes_.size(); ++node)
        if (auto allocation = try_allocate_on(node, request)) return allocation;
    return std::nullopt;
}

std::optional<Allocation> ResourcePool::try_allocate_on(std::size_t node, const ResourceRequest &request) {
    NodeUsage &usage = usage_[node];
    if (usage.used_cpus + request.cpu > nodes_[node].cpus + kEpsilon) return std::nullopt;
    Allocation allocation;
    allocation.node = node;
    allocation.node_name = nodes_[node].name;
    allocation.cpu = request.cpu;
    allocation.gpu = request.gpu;
    auto &free = usage.gpu_free;
    if (request.gpu > 0.0 && request.gpu < 1.0) {
        int best = -1;
        for (int i = 0; i < static_cast<int>(free.size()); ++i)
            if (free[i] + kEpsilon >= request.gpu && (best < 0 || free[i] < free[best])) best = i;
        if (best < 0) return std::nullopt;
        allocation.devices = {best};
        allocation.gpu_shares = {request.gpu};
    } else if (request.gpu >= 1.0) {
        const auto wanted = static_cast<std::size_t>(std::ceil(request.gpu - kEpsilon));
        for (int i = 0; i < static_cast<int>(free.size()) && allocation.devices.size() < wanted; ++i)
            if (free[i] >= 1.0 - kEpsilon) allocation.devices.push_back(i);
        if (allocation.devices.size() < wanted) return std::nullopt;
        allocation.gpu_shares.assign(wanted, 1.0);
    }
    usage.used_cpus += allocation.cpu;
    for (std::size_t i = 0; i < allocation.devices.size(); ++i) {
        free[allocation.devices[i]] -= allocation.gpu_shares[i];
        allocation.cuda_visible_devices += (i ? "," : "") + nodes_[node].gpu_names[allocation.devices[i]];
    }
    return allocation;
}

void ResourcePool::release(const Allocation &allocation) {
    NodeUsage &usage = usage_.at(allocation.node);
    usage.used_cpus = std::max(0.0, usage.used_cpus - allocation.cpu);
    for (std::size_t i = 0; i < allocation.devices.size(); ++i) {
        double &free = usage.gpu_free[allocation.devices[i]];
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
