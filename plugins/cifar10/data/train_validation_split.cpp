#include "train_validation_split.hpp"

#include "split_mix64.hpp"

#include <numeric>
#include <utility>

namespace tune::cifar {

TrainValidationSplit split_train_validation(std::size_t record_count, std::uint64_t seed) {
    std::vector<std::size_t> order(record_count);
    std::iota(order.begin(), order.end(), std::size_t{0});
    SplitMix64 random(seed);
    for (std::size_t i = record_count; i > 1; --i) std::swap(order[i - 1], order[random.below(i)]);

    const std::size_t validation_count = record_count / 5;
    TrainValidationSplit split;
    split.validation.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(validation_count));
    split.train.assign(order.begin() + static_cast<std::ptrdiff_t>(validation_count), order.end());
    return split;
}

} // namespace tune::cifar
