// A CIFAR-10 split (training or test) as one indexable sequence over its batch files.
#pragma once

#include "cifar_file.hpp"

#include <cstddef>
#include <filesystem>
#include <vector>

namespace tune::cifar {

class CifarDataset {
public:
    // data_batch_1.bin .. data_batch_5.bin in `dir`; every one must exist and be valid.
    static CifarDataset open_train(const std::filesystem::path &dir);
    // test_batch.bin in `dir`.
    static CifarDataset open_test(const std::filesystem::path &dir);

    // The files' records in the order given, numbered from 0 across all of them.
    explicit CifarDataset(const std::vector<std::filesystem::path> &files);

    std::size_t size() const { return ends_.empty() ? 0 : ends_.back(); }
    const std::vector<CifarFile> &files() const { return files_; }
    // Throws std::out_of_range when index >= size().
    CifarRecord record(std::size_t index) const;

private:
    std::vector<CifarFile> files_;
    std::vector<std::size_t> ends_; // ends_[i]: one past the last global index in files_[i]
};

} // namespace tune::cifar
