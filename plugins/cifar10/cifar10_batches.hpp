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

// One pair of image and label tensors, refilled for each batch of a pass: a step then
// allocates nothing for its input. A batch smaller than the largest so far is a view of the
// front of the buffers. Not thread-safe.
class BatchBuffer {
public:
    // The records indices[begin, end) of dataset as one batch on the CPU. The returned tensors
    // are overwritten by the next fill, unless the caller still holds them (an autograd graph
    // that saved the images, say): then the next fill allocates new buffers.
    Batch fill(const CifarDataset &dataset, const std::vector<std::size_t> &indices, std::size_t begin,
               std::size_t end);

private:
    torch::Tensor images_, labels_;
};

} // namespace tune::cifar
