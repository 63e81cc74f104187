// A data set's records held on one device as tensors, copied there once, so that a GPU trial
// gathers and normalises its batches on the device: no host-to-device copy per batch (the
// tutorial's DataLoader copies every batch). On the CPU it gathers the same batches as
// BatchBuffer, which its tests check; trials on the CPU use BatchBuffer, which reads the
// memory-mapped records without a second copy of the data set.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "cifar10_batches.hpp"
#include "cifar_dataset.hpp"

namespace tune::cifar {

class DeviceDataset {
public:
    // Copies every record of dataset to device (3 KiB per record: 154 MiB for CIFAR-10's
    // 50,000 training images).
    DeviceDataset(const CifarDataset &dataset, torch::Device device);

    torch::Device device() const { return pixels_.device(); }
    std::size_t size() const { return static_cast<std::size_t>(pixels_.size(0)); }

    // A pass's record order on the device: one copy per pass, not one per batch.
    torch::Tensor positions(const std::vector<std::size_t> &order) const;
    // The records positions[begin, end) as one batch on the device, normalised as BatchBuffer
    // normalises (pixel * 2/255 - 1, in float).
    Batch gather(const torch::Tensor &positions, std::int64_t begin, std::int64_t end) const;

private:
    torch::Tensor pixels_; // uint8 [N, 3, 32, 32]
    torch::Tensor labels_; // int64 [N]
};

} // namespace tune::cifar
