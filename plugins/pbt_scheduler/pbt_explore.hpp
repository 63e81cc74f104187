// PBT's explore step (Ray's _explore): a new config from a donor's, each mutated key either
// resampled or perturbed, and the operations as Ray names them ("resample", "* 1.2",
// "shift left", "shift right (noop)").
#pragma once

#include <random>
#include <vector>

#include "pbt_mutations.hpp"
#include "pbt_options.hpp"

namespace tune::pbt {

struct Explored {
    Json config;     // the donor's config with the mutated keys replaced
    Json operations; // per mutated key, the operation (nested like the mutations)
};

// Draws from rng in Ray's order, per key (sorted by key, nested tables depth first):
// - a list (or a choice's categories): one uniform draw; below resample_probability, or if the
//   current value is not in the list, a value picked uniformly ("resample"); else a second
//   draw picks a shift of -1 or +1, clamped at the ends of the list ("shift left (noop)").
// - a numeric domain: one uniform draw; below resample_probability the domain samples a value
//   ("resample"); else a factor is picked uniformly and multiplies the value ("* 1.2"). Unlike
//   Ray, the product is clamped to the domain's bounds. An integer value stays an integer
//   (truncated, as Python's int()), and so does a value of an integer domain.
// config must hold every mutated key (check_config).
Explored explore(const Json &config, const std::vector<Mutation> &mutations, double resample_probability,
                 const std::vector<Factor> &factors, std::mt19937_64 &rng);

} // namespace tune::pbt
