#include "cifar_dataset.hpp"

#include "cifar_format.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tune::cifar {

CifarDataset CifarDataset::open_train(const std::filesystem::path &dir) {
    std::vector<std::filesystem::path> files;
    for (const char *name : kTrainFileNames) files.push_back(dir / name);
    return CifarDataset(files);
}

CifarDataset CifarDataset::open_test(const std::filesystem::path &dir) { return CifarDataset({dir / kTestFileName}); }

CifarDataset::CifarDataset(const std::vector<std::filesystem::path> &files) {
    files_.reserve(files.size());
    std::size_t end = 0;
    for (const auto &path : files) {
        files_.emplace_back(path);
        end += files_.back().size();
        ends_.push_back(end);
    }
}

CifarRecord CifarDataset::record(std::size_t index) const {
    const auto file = std::upper_bound(ends_.begin(), ends_.end(), index);
    if (file == ends_.end())
        throw std::out_of_range("CIFAR-10 record " + std::to_string(index) + " out of range; the set has " +
                                std::to_string(size()) + " records");
    const auto position = static_cast<std::size_t>(file - ends_.begin());
    const std::size_t begin = position == 0 ? 0 : ends_[position - 1];
    return files_[position].record(index - begin);
}

} // namespace tune::cifar
