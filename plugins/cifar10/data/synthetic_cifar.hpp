// A learnable synthetic data set in the CIFAR-10 layout, for runs without the real data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace tune::cifar {

enum class SyntheticSplit : std::uint64_t { train = 1, test = 2 };

// Records [first, first + count) of the synthetic `split` for `seed`, as 3073-byte records back
// to back. Each class has its own colour and spatial pattern (stripes, checks, blobs, rings);
// every image adds a random pattern shift, brightness and per-pixel noise. Record i depends only
// on (seed, split, i), so a set can be made file by file and is the same on every platform.
std::vector<std::uint8_t> synthesize_records(std::uint64_t seed, SyntheticSplit split, std::size_t first,
                                             std::size_t count);

} // namespace tune::cifar
