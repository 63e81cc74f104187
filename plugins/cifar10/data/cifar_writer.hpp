// Writes CIFAR-10 binary batch files atomically, for the tools that make data sets.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace tune::cifar {

// A file that could not be written; the message names it and says why.
class CifarWriteError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct WrittenFile {
    std::filesystem::path path;
    std::size_t records = 0;
};

// Writes `records` (whole 3073-byte records back to back) to dir/name: first to dir/name.tmp,
// then renamed into place, so a killed writer never leaves a half file under the real name.
// Creates `dir` if needed.
WrittenFile write_cifar_file(const std::filesystem::path &dir, const std::string &name,
                             const std::vector<std::uint8_t> &records);

// How many of `total` training records each of data_batch_1..5.bin holds: as even as possible,
// the first files taking one more when `total` is not a multiple of 5.
std::array<std::size_t, 5> train_file_counts(std::size_t total);

} // namespace tune::cifar
