// Data parallelism for a trial given several whole GPUs, as the tutorial wraps its net in
// nn.DataParallel: each batch is split along its first dimension over the devices, a replica
// of the net on each computes its part's logits (all parts at once, as LibTorch's
// parallel_apply runs them), and the logits are concatenated on the first device. The loss is
// taken over the whole batch there, and backward sums every replica's gradient into the net's
// own parameters, so SGD sees the one-device gradient up to the order of float additions.
//
// Why not LibTorch's torch::nn::parallel::data_parallel: its header needs the CUDA toolkit's
// headers to compile and its scatter and gather are CUDA-only kernels, both missing from
// Debian's CPU-only LibTorch. Replicas made of differentiable weight copies (Net's
// replica_forward) are one code path that builds everywhere and is tested on CPU, with several
// replicas on the CPU device.
#pragma once

#include <vector>

#include <torch/torch.h>

#include "cifar10_net.hpp"

namespace tune::cifar {

using DeviceList = std::vector<torch::Device>;

// net's logits for images, on devices.front() (the net's own device). With fewer than two
// devices, or a batch of one image, this is net->forward there.
torch::Tensor data_parallel_forward(Net &net, const torch::Tensor &images, const DeviceList &devices);

} // namespace tune::cifar
