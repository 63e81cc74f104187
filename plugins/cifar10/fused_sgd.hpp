// torch::optim::SGD with the step fused: on CPU float tensors, one pass over each parameter
// in a vectorised loop, instead of three to five dispatched operations per parameter and a
// state lookup keyed by the parameter's formatted address. At the tutorial's batch sizes the
// Net's step is a few hundred microseconds, and SGD's per-parameter overhead was a large part.
//
// It computes what SGD computes, in PyTorch's order (weight decay, momentum with dampening,
// Nesterov; the first step's buffer is the gradient itself), rounding as ATen does (bit for
// bit on CPUs with FMA), and keeps
// its momentum buffers in SGD's own state: torch::save/torch::load write and read the same
// checkpoint files as SGD's. Anything else (CUDA tensors, several parameter groups, a
// closure) takes SGD's own step.
#pragma once

#include <vector>

#include <torch/torch.h>

namespace tune::cifar {

class FusedSgd final : public torch::optim::SGD {
public:
    FusedSgd(std::vector<torch::Tensor> parameters, torch::optim::SGDOptions options);

    torch::Tensor step(LossClosure closure = nullptr) override;
    void load(torch::serialize::InputArchive &archive) override;

private:
    bool fusable(); // finds the momentum buffers too
    torch::Tensor &momentum_buffer(std::size_t index);

    // The momentum buffer of each parameter, in parameter order: the tensors SGD's state
    // holds, found once instead of at every step. Cleared when the state is replaced.
    std::vector<torch::Tensor> buffers_;
};

} // namespace tune::cifar
