// The tutorial's training loop and its scoring pass, shared by the trainable and the trainer
// benchmark (bench/cifar10), so that the benchmark measures the code that trials run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include <torch/torch.h>

#include "cifar10_net.hpp"
#include "cifar_dataset.hpp"
#include "data_parallel.hpp"
#include "device_dataset.hpp"

namespace tune::cifar {

struct Score {
    double loss = 0.0;     // mean cross-entropy
    double accuracy = 0.0; // fraction classified correctly
};

// One pass of SGD over dataset's records in the given order, batch_size at a time (the last
// batch may be smaller): zero_grad, forward, cross-entropy, backward, step, as train_cifar.
// Two or more data_parallel devices split each batch over them (data_parallel.hpp); the first
// is then the net's device.
void train_epoch(Net &net, torch::optim::Optimizer &optimizer, const CifarDataset &dataset,
                 const std::vector<std::size_t> &order, std::int64_t batch_size, torch::Device device,
                 const DeviceList &data_parallel = {});

// Loss and accuracy over the records indices of dataset, without gradients.
Score score(Net &net, const CifarDataset &dataset, const std::vector<std::size_t> &indices, torch::Device device);

// The same two on a data set held on the device (a GPU trial's): batches are gathered there.
void train_epoch(Net &net, torch::optim::Optimizer &optimizer, const DeviceDataset &dataset,
                 const std::vector<std::size_t> &order, std::int64_t batch_size,
                 const DeviceList &data_parallel = {});
Score score(Net &net, const DeviceDataset &dataset, const std::vector<std::size_t> &indices);

} // namespace tune::cifar
