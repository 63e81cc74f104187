// Reads IDX files (the MNIST / Fashion-MNIST format), gzip-compressed or not.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <vector>

namespace tune::cifar {

// A missing or malformed IDX file; the message names the file, what was expected and found.
class IdxFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct IdxImages {
    std::size_t count = 0;
    std::size_t rows = 0;
    std::size_t columns = 0;
    std::vector<std::uint8_t> pixels; // count * rows * columns bytes, image after image, row-major
};

// An unsigned-byte 3-D IDX file (magic 0x00000803: count, rows, columns).
IdxImages read_idx_images(const std::filesystem::path &path);

// An unsigned-byte 1-D IDX file (magic 0x00000801: count).
std::vector<std::uint8_t> read_idx_labels(const std::filesystem::path &path);

} // namespace tune::cifar
