#include "device_dataset.hpp"

#include <cstring>

#include "cifar_format.hpp"

namespace tune::cifar {

DeviceDataset::DeviceDataset(const CifarDataset &dataset, torch::Device device) {
    const auto n = static_cast<std::int64_t>(dataset.size());
    auto pixels = torch::empty({n, 3, 32, 32}, torch::kUInt8);
    auto labels = torch::empty({n}, torch::kInt64);
    std::uint8_t *pixel_out = pixels.data_ptr<std::uint8_t>();
    std::int64_t *label_out = labels.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < n; ++i) {
        const CifarRecord record = dataset.record(static_cast<std::size_t>(i));
        label_out[i] = record.label;
        std::memcpy(pixel_out + i * static_cast<std::int64_t>(kPixelBytes), record.pixels, kPixelBytes);
    }
    pixels_ = pixels.to(device);
    labels_ = labels.to(device);
}

torch::Tensor DeviceDataset::positions(const std::vector<std::size_t> &order) const {
    auto positions = torch::empty({static_cast<std::int64_t>(order.size())}, torch::kInt64);
    std::int64_t *out = positions.data_ptr<std::int64_t>();
    for (std::size_t i = 0; i < order.size(); ++i) out[i] = static_cast<std::int64_t>(order[i]);
    return positions.to(device());
}

Batch DeviceDataset::gather(const torch::Tensor &positions, std::int64_t begin, std::int64_t end) const {
    const auto chosen = positions.narrow(0, begin, end - begin);
    auto images = pixels_.index_select(0, chosen).to(torch::kFloat32);
    images.mul_(2.0f / 255.0f).sub_(1.0f);
    return {images, labels_.index_select(0, chosen)};
}

} // namespace tune::cifar
