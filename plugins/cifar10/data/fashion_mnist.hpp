// Converts Fashion-MNIST (IDX files, as Debian's dataset-fashion-mnist ships them) into the
// CIFAR-10 binary layout, so the CIFAR-10 trainable can run on real images without a download.
#pragma once

#include "cifar_writer.hpp"

#include <filesystem>
#include <vector>

namespace tune::cifar {

inline constexpr const char *kFashionMnistDefaultSource = "/usr/share/datasets/fashion-mnist";
inline constexpr std::size_t kFashionMnistSide = 28;

// Reads train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and
// t10k-labels-idx1-ubyte.gz from `source`; writes the first 50,000 training images to
// data_batch_1..5.bin (10,000 each) and the first 10,000 test images to test_batch.bin in `out`.
// Each 28x28 grey image is padded with 2 black pixels on every side to 32x32 and copied into the
// R, G and B planes. Throws IdxFileError for a missing or malformed source file, CifarWriteError
// when an output cannot be written.
std::vector<WrittenFile> convert_fashion_mnist(const std::filesystem::path &source, const std::filesystem::path &out);

} // namespace tune::cifar
