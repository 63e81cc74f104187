#include "cifar10_net.hpp"

namespace tune::cifar {

NetImpl::NetImpl(std::int64_t l1, std::int64_t l2)
    : conv1_(register_module("conv1", torch::nn::Conv2d(3, 6, 5))),
      conv2_(register_module("conv2", torch::nn::Conv2d(6, 16, 5))),
      pool_(register_module("pool", torch::nn::MaxPool2d(2))),
      fc1_(register_module("fc1", torch::nn::Linear(16 * 5 * 5, l1))),
      fc2_(register_module("fc2", torch::nn::Linear(l1, l2))),
      fc3_(register_module("fc3", torch::nn::Linear(l2, 10))) {}

torch::Tensor NetImpl::forward(torch::Tensor images) {
    auto x = pool_(torch::relu(conv1_(images)));
    x = pool_(torch::relu(conv2_(x)));
    x = torch::flatten(x, 1);
    x = torch::relu(fc1_(x));
    x = torch::relu(fc2_(x));
    return fc3_(x);
}

} // namespace tune::cifar
