// The search space as TPE models it: one dimension per domain and one per random call inside a
// sample_from expression ("model.l1#0": key path and call index), each with the kernel its
// Parzen estimators use, the way its values map to and from that kernel's space, and its prior
// draws. Configs are built from one value per dimension: domains decode their value, and
// expressions are evaluated with their random calls replaced by their dimensions' values, so a
// config is always one the space defines.
#pragma once

#include <cstddef>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "parzen_estimator.hpp"
#include "tune/space/search_space.hpp"

namespace tune::tpe {

// How a dimension's values are stored and modelled ("model space").
enum class Encoding {
    uniform,     // uniform, uniform(a, b): the value, in [lower, upper)
    log_uniform, // loguniform, loguniform(a, b): log of the value
    grid,        // quniform, randint, qrandint, randint(a, b): the value, on its grid
    log_grid,    // qloguniform, lograndint, qlograndint: log of the value, rounded to its grid
    normal,      // randn, qrandn, randn(...): the value's quantile Phi((value - mean) / sd)
    categorical, // choice, choice(...): the index of the category
    quantile,    // randint, uniform, loguniform calls whose arguments vary: the draw's quantile
};

struct Dimension {
    std::string name;                // "lr", or "model.l1#0" for call 0 of model.l1's expression
    std::size_t parameter = 0;       // index into the space's parameters
    std::optional<std::size_t> call; // the random call, for expression dimensions
    std::string function;            // the call's function ("randint"), for expression dimensions
    Encoding encoding = Encoding::uniform;
    Kernel kernel;                            // as the Parzen estimators model it
    bool single = false;                      // only one value is possible: never drawn or modelled
    bool integer = false;                     // produces JSON integers
    double lower = 0.0, upper = 0.0;          // uniform, log_uniform: [lower, upper); grids: the first and last value
    double q = 0.0;                           // grids, qrandn: the grid's step (0 for randn)
    double first_step = 0.0, last_step = 0.0; // float grids: the values k * q for k in [first_step, last_step]
    std::optional<int> q_decimals;            // decimals of a float q, to print 0.3 rather than 0.30000000000000004
    double mean = 0.0, sd = 1.0;              // normal domains
};

class TpeSpace {
public:
    // Parses space. Throws ConfigError whose message starts with the key path for an invalid
    // space, for grid_search (TPE chooses every value itself), and for an expression's random
    // call that cannot be modelled.
    static TpeSpace build(const nlohmann::json &space);

    const space::SearchSpace &space() const { return space_; }
    const std::vector<Dimension> &dimensions() const { return dimensions_; }
    // The dimensions TPE models (all but the single-valued ones), in order.
    const std::vector<std::size_t> &modelled() const { return modelled_; }

    // A value of dimension d drawn from its prior: the domain's own distribution (what random
    // search draws), in model space.
    double sample_prior(std::size_t d, std::mt19937_64 &rng) const;

    // The model value of what x decodes to: inside the bounds and on the grid. The history
    // stores this, so that observations are exactly the configs' values.
    double canonical(std::size_t d, double x) const;

    // The config of one model value per dimension. Throws SpaceError (naming the key path) if
    // an expression fails for these values.
    nlohmann::json config(const std::vector<double> &values) const;

private:
    nlohmann::json decode(const Dimension &dim, double x) const;
    double call_value(const Dimension &dim, double x, const std::vector<double> &arguments) const;
    double encode(const Dimension &dim, double value) const;

    space::SearchSpace space_;
    std::vector<Dimension> dimensions_;
    std::vector<std::size_t> modelled_;
    std::vector<std::optional<std::size_t>> domain_dimension_; // per parameter: its dimension, if a domain
    std::vector<std::vector<std::size_t>> call_dimensions_;    // per parameter: its calls' dimensions
    std::vector<std::vector<std::size_t>> references_;         // per parameter: its expression's references
    std::vector<std::size_t> evaluation_order_;                // expressions, each after those it reads
};

} // namespace tune::tpe
