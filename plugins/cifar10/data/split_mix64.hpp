// SplitMix64: a tiny, fully specified generator, so splits and synthetic data are the same on
// every platform and standard library (std::shuffle and the std distributions are not).
#pragma once

#include <cstdint>

namespace tune::cifar {

class SplitMix64 {
public:
    explicit SplitMix64(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }

    // Uniform in [0, bound), bound > 0, without modulo bias (rejects the short last stretch).
    std::uint64_t below(std::uint64_t bound) {
        const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
        std::uint64_t value = next();
        while (value >= limit) value = next();
        return value % bound;
    }

private:
    std::uint64_t state_;
};

} // namespace tune::cifar
