#include "cifar10_training.hpp"

#include <algorithm>

#include "cifar10_batches.hpp"

namespace tune::cifar {

namespace {

// One pass of SGD over `count` records, batch_size at a time; batch_of(begin, end) makes each
// batch on the device.
template <class BatchOf>
void train_batches(Net &net, torch::optim::Optimizer &optimizer, std::size_t count, std::int64_t batch_size,
                   const DeviceList &data_parallel, BatchOf batch_of) {
    net->train();
    const auto step = static_cast<std::size_t>(batch_size);
    for (std::size_t begin = 0; begin < count; begin += step) {
        const std::size_t end = std::min(count, begin + step);
        Batch batch = batch_of(begin, end);
        // Dropping the gradients (rather than zeroing them in place, as Optimizer::zero_grad
        // does in LibTorch 1.13) saves a kernel per parameter; backward then writes fresh ones.
        // SGD sees the same values either way.
        net->zero_grad(/*set_to_none=*/true);
        auto logits = data_parallel_forward(net, batch.images, data_parallel);
        auto loss = torch::nn::functional::cross_entropy(logits, batch.labels);
        loss.backward();
        optimizer.step();
    }
}

// Loss and accuracy over `count` records in large batches made by batch_of(begin, end).
template <class BatchOf>
Score score_batches(Net &net, std::size_t count, torch::Device device, BatchOf batch_of) {
    // Large batches: scoring has no optimiser step, so batch size does not change the result.
    constexpr std::size_t kScoreBatch = 512;
    net->eval();
    // Sums stay on the device; one read at the end instead of a synchronisation per batch.
    auto loss_sum = torch::zeros({}, torch::TensorOptions().dtype(torch::kFloat64).device(device));
    auto correct = torch::zeros({}, torch::TensorOptions().dtype(torch::kInt64).device(device));
    for (std::size_t begin = 0; begin < count; begin += kScoreBatch) {
        const Batch batch = batch_of(begin, std::min(count, begin + kScoreBatch));
        auto logits = net->forward(batch.images);
        loss_sum += torch::nn::functional::cross_entropy(
                        logits, batch.labels, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                        .to(torch::kFloat64);
        correct += logits.argmax(1).eq(batch.labels).sum();
    }
    net->train();
    const auto n = static_cast<double>(std::max<std::size_t>(1, count));
    return {loss_sum.item<double>() / n, static_cast<double>(correct.item<std::int64_t>()) / n};
}

// Batch makers for the two loops: records indices[begin, end) read into buffer and moved to
// device, or gathered on a DeviceDataset's device.
auto from_records(BatchBuffer &buffer, const CifarDataset &dataset, const std::vector<std::size_t> &indices,
                  torch::Device device) {
    return [&buffer, &dataset, &indices, device](std::size_t begin, std::size_t end) {
        Batch batch = buffer.fill(dataset, indices, begin, end);
        return Batch{batch.images.to(device), batch.labels.to(device)};
    };
}

auto from_device(const DeviceDataset &dataset, const torch::Tensor &positions) {
    return [&dataset, &positions](std::size_t begin, std::size_t end) {
        return dataset.gather(positions, static_cast<std::int64_t>(begin), static_cast<std::int64_t>(end));
    };
}

} // namespace

void train_epoch(Net &net, torch::optim::Optimizer &optimizer, const CifarDataset &dataset,
                 const std::vector<std::size_t> &order, std::int64_t batch_size, torch::Device device,
                 const DeviceList &data_parallel) {
    BatchBuffer buffer;
    train_batches(net, optimizer, order.size(), batch_size, data_parallel, from_records(buffer, dataset, order, device));
}

void train_epoch(Net &net, torch::optim::Optimizer &optimizer, const DeviceDataset &dataset,
                 const std::vector<std::size_t> &order, std::int64_t batch_size, const DeviceList &data_parallel) {
    const torch::Tensor positions = dataset.positions(order);
    train_batches(net, optimizer, order.size(), batch_size, data_parallel, from_device(dataset, positions));
}

Score score(Net &net, const CifarDataset &dataset, const std::vector<std::size_t> &indices, torch::Device device) {
    // No autograd at all (not just no gradients): no version counters or graph bookkeeping.
    // Its tensors are inference tensors, so the buffer is this pass's own.
    c10::InferenceMode inference;
    BatchBuffer buffer;
    return score_batches(net, indices.size(), device, from_records(buffer, dataset, indices, device));
}

Score score(Net &net, const DeviceDataset &dataset, const std::vector<std::size_t> &indices) {
    c10::InferenceMode inference;
    const torch::Tensor positions = dataset.positions(indices);
    return score_batches(net, indices.size(), dataset.device(), from_device(dataset, positions));
}

} // namespace tune::cifar
