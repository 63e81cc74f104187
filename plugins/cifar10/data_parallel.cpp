#include "data_parallel.hpp"

#include <exception>
#include <mutex>

#include <ATen/Parallel.h>
#include <ATen/ThreadLocalState.h>

namespace tune::cifar {

torch::Tensor data_parallel_forward(Net &net, const torch::Tensor &images, const DeviceList &devices) {
    if (devices.size() < 2) return net->forward(devices.empty() ? images : images.to(devices.front()));
    // chunk() gives fewer parts than devices when the batch is smaller than the device count.
    std::vector<torch::Tensor> parts = images.chunk(static_cast<std::int64_t>(devices.size()));
    if (parts.size() < 2) return net->forward(images.to(devices.front()));

    std::vector<torch::Tensor> logits(parts.size());
    std::exception_ptr failure;
    std::mutex failure_mutex;
    const at::ThreadLocalState caller_state; // grad mode and the like, for the pool's threads
    // One task per replica on LibTorch's intra-op pool; the same thread runs them in turn when
    // the trial has one CPU thread (kernels on several GPUs still overlap: launches are async).
    at::parallel_for(0, static_cast<std::int64_t>(parts.size()), 1, [&](std::int64_t begin, std::int64_t end) {
        const at::ThreadLocalStateGuard with_caller_state(caller_state);
        for (auto i = static_cast<std::size_t>(begin); i < static_cast<std::size_t>(end); ++i) {
            try {
                logits[i] = net->replica_forward(parts[i], devices[i]).to(devices.front());
            } catch (...) {
                const std::lock_guard<std::mutex> lock(failure_mutex);
                if (!failure) failure = std::current_exception();
            }
        }
    });
    if (failure) std::rethrow_exception(failure);
    return torch::cat(logits);
}

} // namespace tune::cifar
