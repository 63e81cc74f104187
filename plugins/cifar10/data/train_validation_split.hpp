// The tutorial's deterministic train/validation split of the training records.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tune::cifar {

struct TrainValidationSplit {
    std::vector<std::size_t> train;      // 80% of the indices (the rest after validation)
    std::vector<std::size_t> validation; // floor(20% of record_count) indices
};

// A Fisher-Yates permutation of 0..record_count-1 driven by SplitMix64(seed): the first
// floor(record_count / 5) indices are validation, the rest train. The same seed gives the same
// split on every platform, so every trial of an experiment validates on the same records.
TrainValidationSplit split_train_validation(std::size_t record_count, std::uint64_t seed);

} // namespace tune::cifar
