#include "core/execution/node_resources.hpp"

#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <thread>

namespace tune::core {

namespace {

// The process's own CUDA_VISIBLE_DEVICES entries ("2", "GPU-<uuid>"), empty when it is unset.
std::vector<std::string> visible_devices() {
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
    NodeResources node{"localhost", cpus, {}, 0, visible_devices()};
    // Pool index i is the process's i-th visible device: a host started with
    // CUDA_VISIBLE_DEVICES=2,3 hands device "3", not "1", to a trial given index 1.
    for (int i = 0; i < gpus; ++i) node.gpu_names.push_back(device_name(node, static_cast<std::size_t>(i)));
    return node;
}

std::string device_name(const NodeResources &node, std::size_t index) {
    return index < node.visible_devices.size() ? node.visible_devices[index] : std::to_string(index);
}

int detect_gpus() {
    std::error_code ec;
    int count = 0;
    for (const auto &entry : std::filesystem::directory_iterator("/proc/driver/nvidia/gpus", ec)) {
        (void)entry;
        ++count;
    }
    if (ec) return 0;
    if (std::getenv("CUDA_VISIBLE_DEVICES")) count = std::min(count, static_cast<int>(visible_devices().size()));
    return count;
}

unsigned detect_cpus() {
    cpu_set_t set;
    if (::sched_getaffinity(0, sizeof set, &set) == 0) return std::max(1, CPU_COUNT(&set));
    return std::max(1u, std::thread::hardware_concurrency());
}

} // namespace tune::core
