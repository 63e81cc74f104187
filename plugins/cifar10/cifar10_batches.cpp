#include "cifar10_batches.hpp"

#include "cifar_format.hpp"

namespace tune::cifar {

namespace {

// True when nothing but this buffer refers to tensor or its memory (a copy of the tensor
// shares its TensorImpl; a view shares its storage).
bool unshared(const torch::Tensor &tensor) {
    return tensor.defined() && tensor.use_count() == 1 && tensor.storage().use_count() == 1;
}

} // namespace

Batch BatchBuffer::fill(const CifarDataset &dataset, const std::vector<std::size_t> &indices, std::size_t begin,
                        std::size_t end) {
    const auto n = static_cast<std::int64_t>(end - begin);
    if (!unshared(images_) || !unshared(labels_) || images_.size(0) < n) {
        images_ = torch::empty({n, 3, 32, 32}, torch::kFloat32);
        labels_ = torch::empty({n}, torch::kInt64);
    }
    float *pixels = images_.data_ptr<float>();
    std::int64_t *label_out = labels_.data_ptr<std::int64_t>();
    // CIFAR-10 stores R, G, B planes of 32x32 row-major: the same order as a [3,32,32] tensor.
    for (std::int64_t i = 0; i < n; ++i) {
        const CifarRecord record = dataset.record(indices[begin + static_cast<std::size_t>(i)]);
        label_out[i] = record.label;
        float *out = pixels + i * static_cast<std::int64_t>(kPixelBytes);
        for (std::size_t p = 0; p < kPixelBytes; ++p) out[p] = static_cast<float>(record.pixels[p]) * (2.0f / 255.0f) - 1.0f;
    }
    if (images_.size(0) == n) return {images_, labels_};
    return {images_.narrow(0, 0, n), labels_.narrow(0, 0, n)};
}

} // namespace tune::cifar
