// A whole synthetic CIFAR-10 set on disk (data_batch_1..5.bin and test_batch.bin), as
// `tune-data synth` writes it and as the trainer makes it for its `synthetic_data` config.
#pragma once

#include "cifar_writer.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

namespace tune::cifar {

// Writes `train` training records over the five batch files and `test` test records into dir
// (created if missing), each file atomically. train >= 5 (one record per batch file), test >= 1;
// std::invalid_argument otherwise, CifarWriteError naming a file that cannot be written.
std::vector<WrittenFile> write_synthetic_set(const std::filesystem::path &dir, std::size_t train, std::size_t test,
                                             std::uint64_t seed);

} // namespace tune::cifar
