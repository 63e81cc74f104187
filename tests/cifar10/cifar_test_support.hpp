// Helpers for the CIFAR-10 data tests: hand-made batch files and running tune-data.
#pragma once

#include "support/test_paths.hpp"

#include "cifar_format.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace tune::test::cifar {

inline void write_bytes(const std::filesystem::path &path, const std::vector<std::uint8_t> &bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char *>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

// One record per label; record i's pixels are all (i + label) % 256, so tests can tell them apart.
inline std::vector<std::uint8_t> make_records(const std::vector<std::uint8_t> &labels) {
    std::vector<std::uint8_t> bytes;
    for (std::size_t i = 0; i < labels.size(); ++i) {
        bytes.push_back(labels[i]);
        bytes.insert(bytes.end(), tune::cifar::kPixelBytes, static_cast<std::uint8_t>((i + labels[i]) % 256));
    }
    return bytes;
}

inline std::filesystem::path tune_data_exe() { return binary_dir() / "bin" / "tune-data"; }

inline CommandResult run_tune_data(std::vector<std::string> args) {
    args.insert(args.begin(), tune_data_exe().string());
    return run_program(args);
}

} // namespace tune::test::cifar
