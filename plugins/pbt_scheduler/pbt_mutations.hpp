// PBT's hyperparam_mutations: for each mutated config key, a list of values, a search-space
// domain (as in [search_space]) or a nested table of these for a nested config key. Parsed
// once at setup; explore (pbt_explore.hpp) walks the tree.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tune/plugin.hpp"
#include "tune/space/domain.hpp"

namespace tune::pbt {

struct Mutation {
    enum class Kind {
        values, // a list (Ray's list), or a choice domain's categories: shifted to a neighbour
        domain, // a numeric domain: multiplied by a perturbation factor, or resampled
        nested, // a table of mutations for a nested config key
    };
    Kind kind = Kind::values;
    std::string key;      // the key in its table: "lr"
    std::string key_path; // from the top: "model.lr"
    std::vector<Json> values;            // Kind::values
    std::optional<space::Domain> domain; // Kind::domain
    // Kind::domain: where a perturbed value is clamped (randint's exclusive upper already
    // lowered by one); absent for the unbounded randn and qrandn.
    std::optional<double> lower;
    std::optional<double> upper;
    bool integer_domain = false;   // randint and friends: a perturbed value stays an integer
    std::vector<Mutation> children; // Kind::nested, sorted by key as JSON objects iterate
};

// Parses the option's value. Throws ConfigError naming the option and the key path for
// anything but a non-empty object whose leaves are non-empty arrays or numeric/choice domains
// (sample_from and grid_search are refused, as Ray refuses tune.sample_from).
std::vector<Mutation> parse_mutations(const Json &spec);

// Throws ConfigError if config (a trial's) lacks a mutated key, holds a non-object where a
// nested table is mutated, or a non-number where a numeric domain is: Ray would sample a
// missing key into the config, which a tune scheduler cannot do.
void check_config(const std::vector<Mutation> &mutations, const Json &config, const std::string &trial_id);

// config reduced to the mutated keys (Ray's _filter_mutated_params_from_config), for details.
Json mutated_params(const std::vector<Mutation> &mutations, const Json &config);

} // namespace tune::pbt
