// The deterministic 80/20 train/validation split.
#include <catch2/catch.hpp>

#include "split_mix64.hpp"
#include "train_validation_split.hpp"

#include <algorithm>
#include <numeric>

using tune::cifar::split_train_validation;

TEST_CASE("cifar split: 80% train, 20% validation, disjoint and covering every record", "[cifar]") {
    for (std::size_t count : {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{1000}, std::size_t{50000}}) {
        const auto split = split_train_validation(count, 42);
        CHECK(split.validation.size() == count / 5);
        CHECK(split.train.size() == count - count / 5);
        std::vector<std::size_t> all = split.train;
        all.insert(all.end(), split.validation.begin(), split.validation.end());
        std::sort(all.begin(), all.end());
        std::vector<std::size_t> expected(count);
        std::iota(expected.begin(), expected.end(), std::size_t{0});
        CHECK(all == expected); // each index exactly once: disjoint and complete
    }
}

TEST_CASE("cifar split: the same seed gives the same split, another seed another", "[cifar]") {
    const auto first = split_train_validation(50000, 7);
    const auto again = split_train_validation(50000, 7);
    const auto other = split_train_validation(50000, 8);
    CHECK(first.train == again.train);
    CHECK(first.validation == again.validation);
    CHECK(first.validation != other.validation);
    // A permutation, not the identity: validation is spread over the whole range.
    CHECK(*std::max_element(first.validation.begin(), first.validation.end()) > 40000);
    CHECK(*std::min_element(first.validation.begin(), first.validation.end()) < 10000);
}

TEST_CASE("cifar split: SplitMix64 gives the reference sequence", "[cifar]") {
    // The published SplitMix64 outputs for seed 0: the split is the same on every platform.
    tune::cifar::SplitMix64 random(0);
    CHECK(random.next() == 0xe220a8397b1dcdafULL);
    CHECK(random.next() == 0x6e789e6aa1b965f4ULL);
    CHECK(random.next() == 0x06c45d188009454fULL);
    tune::cifar::SplitMix64 bounded(5);
    for (int i = 0; i < 1000; ++i) CHECK(bounded.below(3) < 3);
}
