// Mini-batches straight from the memory-mapped CIFAR-10 records, normalised as the tutorial
// does (ToTensor then Normalize(0.5, 0.5): pixel / 255 * 2 - 1).
#pragma once

#include <cstddef>
#include <vector>

#include <torch/torch.h>

#include "cifar_dataset.hpp"

namespace tune::cifar {

struct Batch {
    torch::Tensor images; // float [n,3,32,32] in [-1, 1]
    torch::Tensor labels; // int64 [n]
};

// The records indices[begin, end) of dataset as one batch on the CPU.
Batch make_batch(const CifarDataset &dataset, const std::vector<std::size_t> &indices, std::size_t begin,
                 std::size_t end);

} // namespace tune::cifar
