// The sequence of trial configs a basic searcher proposes, in Ray Tune's BasicVariantGenerator
// order: num_samples rounds, each walking every grid point, with the other domains sampled
// afresh for every config from one seeded generator.
#pragma once

#include <cstdint>
#include <optional>
#include <random>

#include <nlohmann/json.hpp>

#include "tune/space/search_space.hpp"

namespace tune::space {

class VariantSequence {
public:
    // Throws SpaceError if the grid, or num_samples times the grid, is too large to count.
    VariantSequence(SearchSpace space, GridAxes axes, std::uint64_t num_samples, std::uint64_t seed);

    const SearchSpace &space() const { return space_; }

    // The number of configs in the sequence: num_samples × grid points.
    std::uint64_t size() const { return size_; }

    // How many configs next() has produced.
    std::uint64_t position() const { return position_; }

    // The next config, or nullopt once all size() were produced.
    std::optional<nlohmann::json> next();

    // The position and generator state, as JSON: {"position": n, "rng": "..."}.
    nlohmann::json state() const;

    // Continues from a state() of a sequence made with the same arguments. Throws
    // std::invalid_argument if state is malformed or lies beyond the end of this sequence.
    void restore(const nlohmann::json &state);

private:
    SearchSpace space_;
    GridAxes axes_;
    std::uint64_t grid_size_;
    std::uint64_t size_;
    std::uint64_t position_ = 0;
    std::mt19937_64 rng_;
};

} // namespace tune::space
