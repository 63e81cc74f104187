#include "cifar10_net.hpp"

namespace tune::cifar {

NetImpl::NetImpl(std::int64_t l1, std::int64_t l2)
    : conv1_(register_module("conv1", torch::nn::Conv2d(3, 6, 5))),
      conv2_(register_module("conv2", torch::nn::Conv2d(6, 16, 5))),
      pool_(register_module("pool", torch::nn::MaxPool2d(2))),
      fc1_(register_module("fc1", torch::nn::Linear(16 * 5 * 5, l1))),
      fc2_(register_module("fc2", torch::nn::Linear(l1, l2))),
      fc3_(register_module("fc3", torch::nn::Linear(l2, 10))) {}

// The modules' own forward passes, written with the functions they call (stride 1, no padding;
// 2x2 pooling), so that a replica can run them on copied weights.
template <class Weight> torch::Tensor NetImpl::run(torch::Tensor images, Weight weight) {
    const auto conv = [&](torch::nn::Conv2d &layer, const torch::Tensor &x) {
        return torch::conv2d(x, weight(layer->weight), weight(layer->bias));
    };
    const auto linear = [&](torch::nn::Linear &layer, const torch::Tensor &x) {
        return torch::linear(x, weight(layer->weight), weight(layer->bias));
    };
    auto x = pool_(torch::relu(conv(conv1_, images)));
    x = pool_(torch::relu(conv(conv2_, x)));
    x = torch::flatten(x, 1);
    x = torch::relu(linear(fc1_, x));
    x = torch::relu(linear(fc2_, x));
    return linear(fc3_, x);
}

torch::Tensor NetImpl::forward(torch::Tensor images) {
    return run(std::move(images), [](const torch::Tensor &parameter) -> const torch::Tensor & { return parameter; });
}

torch::Tensor NetImpl::replica_forward(torch::Tensor images, torch::Device device) {
    return run(images.to(device), [device](const torch::Tensor &parameter) { return parameter.to(device); });
}

} // namespace tune::cifar
