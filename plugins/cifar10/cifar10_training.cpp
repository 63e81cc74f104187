#include "cifar10_training.hpp"

#include <algorithm>

#include "cifar10_batches.hpp"

namespace tune::cifar {

void train_epoch(Net &net, torch::optim::Optimizer &optimizer, const CifarDataset &dataset,
                 const std::vector<std::size_t> &order, std::int64_t batch_size, torch::Device device) {
    net->train();
    const auto step = static_cast<std::size_t>(batch_size);
    BatchBuffer buffer;
    for (std::size_t begin = 0; begin < order.size(); begin += step) {
        const std::size_t end = std::min(order.size(), begin + step);
        auto batch = buffer.fill(dataset, order, begin, end);
        // Dropping the gradients (rather than zeroing them in place, as Optimizer::zero_grad
        // does in LibTorch 1.13) saves a kernel per parameter; backward then writes fresh ones.
        // SGD sees the same values either way.
        net->zero_grad(/*set_to_none=*/true);
        auto loss = torch::nn::functional::cross_entropy(net->forward(batch.images.to(device)),
                                                         batch.labels.to(device));
        loss.backward();
        optimizer.step();
    }
}

Score score(Net &net, const CifarDataset &dataset, const std::vector<std::size_t> &indices, torch::Device device) {
    // Large batches: scoring has no optimiser step, so batch size does not change the result.
    constexpr std::size_t kScoreBatch = 512;
    // No autograd at all (not just no gradients): no version counters or graph bookkeeping.
    // Its tensors are inference tensors, so the buffer is this pass's own.
    c10::InferenceMode inference;
    BatchBuffer buffer;
    net->eval();
    // Sums stay on the device; one read at the end instead of a synchronisation per batch.
    auto loss_sum = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(device));
    auto correct = torch::zeros({}, torch::TensorOptions().dtype(torch::kInt64).device(device));
    for (std::size_t begin = 0; begin < indices.size(); begin += kScoreBatch) {
        const std::size_t end = std::min(indices.size(), begin + kScoreBatch);
        auto batch = buffer.fill(dataset, indices, begin, end);
        auto images = batch.images.to(device), labels = batch.labels.to(device);
        auto logits = net->forward(images);
        loss_sum += torch::nn::functional::cross_entropy(
                        logits, labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                        .to(torch::kFloat64);
        correct += logits.argmax(1).eq(labels).sum();
    }
    net->train();
    const auto n = static_cast<double>(std::max<std::size_t>(1, indices.size()));
    return {loss_sum.item<double>() / n, static_cast<double>(correct.item<std::int64_t>()) / n};
}

} // namespace tune::cifar
