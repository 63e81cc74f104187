// The CIFAR-10 tutorial's Net: conv(3,6,5) -> relu -> maxpool 2 -> conv(6,16,5) -> relu ->
// maxpool 2 -> fc(400,l1) -> relu -> fc(l1,l2) -> relu -> fc(l2,10).
#pragma once

#include <torch/torch.h>

namespace tune::cifar {

class NetImpl : public torch::nn::Module {
public:
    NetImpl(std::int64_t l1, std::int64_t l2);
    torch::Tensor forward(torch::Tensor images); // [N,3,32,32] -> logits [N,10]

    // The same logits computed on `device` by a replica: the weights are copied there as
    // differentiable copies, so backward sums each replica's gradient into this net's own
    // parameters. Thread-safe for concurrent replicas (it only reads the net).
    torch::Tensor replica_forward(torch::Tensor images, torch::Device device);

private:
    // The forward pass with each layer's weight and bias passed through weight(tensor).
    template <class Weight> torch::Tensor run(torch::Tensor images, Weight weight);

    torch::nn::Conv2d conv1_{nullptr}, conv2_{nullptr};
    torch::nn::MaxPool2d pool_{nullptr};
    torch::nn::Linear fc1_{nullptr}, fc2_{nullptr}, fc3_{nullptr};
};
TORCH_MODULE(Net);

} // namespace tune::cifar
