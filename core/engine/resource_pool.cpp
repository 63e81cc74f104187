#include "core/engine/resource_pool.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <fmt/format.h>

#include "core/state/experiment_errors.hpp"

namespace tune::core {

namespace {

// Fractions such as 0.1 do not add up exactly in binary; compare with a tolerance.
constexpr double kEpsilon = 1e-9;

} // namespace

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

double ResourcePool::free_cpus(std::size_t node) const {
    return std::max(0.0, nodes_.at(node).cpus - usage_.at(node).used_cpus);
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
    allocation.rank = nodes_[node].rank;
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

std::vector<NodeResources> experiment_nodes(std::vector<NodeResources> detected, const Experiment &experiment) {
    // total_* describe one machine; on several nodes they would be ambiguous.
    auto refuse_total = [&](const std::optional<double> &value, const char *key, const char *per_node_key) {
        if (value && detected.size() > 1)
            throw ExperimentSetupError(fmt::format("experiment.{} describes one machine, but this run has {} nodes: "
                                                   "set experiment.{} instead",
                                                   key, detected.size(), per_node_key));
    };
    refuse_total(experiment.total_cpus, "total_cpus", "cpus_per_node");
    refuse_total(experiment.total_gpus, "total_gpus", "gpus_per_node");
    const auto cpus = experiment.total_cpus ? experiment.total_cpus : experiment.cpus_per_node;
    const auto gpus = experiment.total_gpus ? experiment.total_gpus : experiment.gpus_per_node;
    std::vector<NodeResources> nodes;
    for (auto &node : detected) {
        // With one node there is no other to run the trials: the setting applies to clusters.
        if (node.rank == 0 && !experiment.trials_on_controller && detected.size() > 1) continue;
        if (cpus) node.cpus = *cpus;
        if (gpus) {
            const auto wanted = static_cast<std::size_t>(*gpus);
            // Fewer than the node has: the first ones. More (a container whose driver the host
            // cannot see): named by the node's CUDA_VISIBLE_DEVICES, else by index.
            while (node.gpu_names.size() < wanted) node.gpu_names.push_back(device_name(node, node.gpu_names.size()));
            node.gpu_names.resize(wanted);
        }
        nodes.push_back(std::move(node));
    }
    return nodes;
}

} // namespace tune::core
