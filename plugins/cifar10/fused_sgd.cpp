#include "fused_sgd.hpp"

#include <cmath>
#include <cstdint>

namespace tune::cifar {

namespace {

struct Hyper {
    float lr, momentum, dampening, weight_decay;
    bool nesterov;
};

// One parameter's update, element by element as SGD's operations do it, each a*x + y that
// ATen computes with one rounding (its vectorised add with alpha is a fused multiply-add)
// written as std::fma:
//   d = g + wd * w;  b = first ? d : b * m + (1 - dampening) * d;  d = nesterov ? d + m * b : b;
//   w = w + (-lr) * d
// Cloned for x86-64-v3 (AVX2 and FMA; chosen at load time), where the loop runs 8 floats wide
// with hardware FMA; the default clone calls libm's fma.
__attribute__((target_clones("arch=x86-64-v3", "default"))) void update(float *__restrict w, const float *__restrict g,
                                                                        float *__restrict b, std::int64_t n, Hyper h,
                                                                        bool first) {
    const float step = -h.lr, keep = 1.0f - h.dampening;
    const bool decay = h.weight_decay != 0.0f;
    if (!b) { // no momentum
#pragma GCC ivdep
        for (std::int64_t i = 0; i < n; ++i) w[i] = std::fma(step, decay ? std::fma(h.weight_decay, w[i], g[i]) : g[i], w[i]);
        return;
    }
#pragma GCC ivdep
    for (std::int64_t i = 0; i < n; ++i) {
        const float d = decay ? std::fma(h.weight_decay, w[i], g[i]) : g[i];
        const float buffer = first ? d : std::fma(keep, d, b[i] * h.momentum);
        b[i] = buffer;
        w[i] = std::fma(step, h.nesterov ? std::fma(h.momentum, buffer, d) : buffer, w[i]);
    }
}

bool cpu_float_contiguous(const torch::Tensor &tensor) {
    return tensor.device().is_cpu() && tensor.scalar_type() == torch::kFloat32 && tensor.is_contiguous();
}

} // namespace

FusedSgd::FusedSgd(std::vector<torch::Tensor> parameters, torch::optim::SGDOptions options)
    : torch::optim::SGD(std::move(parameters), options) {}

bool FusedSgd::fusable() {
    if (param_groups_.size() != 1) return false;
    const auto &parameters = param_groups_[0].params();
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        const auto &gradient = parameters[i].grad();
        if (!gradient.defined()) continue;
        if (!cpu_float_contiguous(parameters[i]) || !cpu_float_contiguous(gradient) ||
            gradient.sizes() != parameters[i].sizes())
            return false;
        const auto &buffer = momentum_buffer(i);
        if (buffer.defined() && (!cpu_float_contiguous(buffer) || buffer.sizes() != parameters[i].sizes())) return false;
    }
    return true;
}

torch::Tensor &FusedSgd::momentum_buffer(std::size_t index) {
    const auto &parameters = param_groups_[0].params();
    if (buffers_.size() != parameters.size()) {
        buffers_.assign(parameters.size(), torch::Tensor());
        for (std::size_t i = 0; i < parameters.size(); ++i) {
            const auto found = state_.find(c10::guts::to_string(parameters[i].unsafeGetTensorImpl()));
            if (found != state_.end())
                buffers_[i] = static_cast<torch::optim::SGDParamState &>(*found->second).momentum_buffer();
        }
    }
    return buffers_[index];
}

torch::Tensor FusedSgd::step(LossClosure closure) {
    if (closure || !fusable()) {
        buffers_.clear(); // SGD's step may add state
        return torch::optim::SGD::step(std::move(closure));
    }
    torch::NoGradGuard no_grad;
    const auto &options = static_cast<const torch::optim::SGDOptions &>(param_groups_[0].options());
    const Hyper hyper{static_cast<float>(options.lr()), static_cast<float>(options.momentum()),
                      static_cast<float>(options.dampening()), static_cast<float>(options.weight_decay()),
                      options.nesterov()};
    auto &parameters = param_groups_[0].params();
    for (std::size_t i = 0; i < parameters.size(); ++i) {
        auto &parameter = parameters[i];
        if (!parameter.grad().defined()) continue;
        float *buffer = nullptr;
        bool first = false;
        if (options.momentum() != 0) {
            torch::Tensor &held = momentum_buffer(i);
            first = !held.defined();
            if (first) { // SGD's first step makes the buffer; it is the gradient itself
                held = torch::empty_like(parameter, torch::MemoryFormat::Contiguous);
                auto state = std::make_unique<torch::optim::SGDParamState>();
                state->momentum_buffer(held);
                state_[c10::guts::to_string(parameter.unsafeGetTensorImpl())] = std::move(state);
            }
            buffer = held.data_ptr<float>();
        }
        update(parameter.data_ptr<float>(), parameter.grad().data_ptr<float>(), buffer, parameter.numel(), hyper, first);
    }
    return {};
}

void FusedSgd::load(torch::serialize::InputArchive &archive) {
    torch::optim::SGD::load(archive);
    buffers_.clear();
}

} // namespace tune::cifar
