// Portable random draws on std::mt19937_64.
//
// The std::*_distribution classes are implementation-defined, so the same seed would give
// different configs with libstdc++ and libc++. These functions are defined exactly, which
// keeps a seeded search reproducible on every platform.
#pragma once

#include <cstdint>
#include <random>

namespace tune::space {

// Uniform in [0, 1), with 53 random bits.
double uniform01(std::mt19937_64 &rng);

// Uniform in [lower, upper); requires lower < upper.
double uniform_real(std::mt19937_64 &rng, double lower, double upper);

// Uniform integer in [0, bound), without modulo bias; requires bound > 0.
std::uint64_t uniform_below(std::mt19937_64 &rng, std::uint64_t bound);

// Standard normal N(0, 1), by the Box-Muller transform.
double standard_normal(std::mt19937_64 &rng);

} // namespace tune::space
