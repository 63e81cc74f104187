// A parsed and validated search space: sampling configs, enumerating grids, and checking that
// a config lies in the space. docs/search-space.md describes the format.
#pragma once

#include <cstddef>
#include <optional>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "tune/space/domain.hpp"
#include "tune/space/expression.hpp"
#include "tune/space/grid.hpp"
#include "tune/space/space_error.hpp"

namespace tune::space {

// One leaf of a space: a constant (copied into every config), a domain, or a sample_from
// expression. Nested tables are not parameters; their leaves are.
struct Parameter {
    std::vector<std::string> key; // the keys from the top level down: {"model", "l1"}
    std::string key_path;         // the keys joined with '.': "model.l1"
    std::variant<nlohmann::json, Domain, Expression> definition;
};

class SearchSpace {
public:
    // Parses and validates space, a JSON object. Throws SpaceError naming the key path for
    // every invalid domain, a sample_from expression that does not parse, references an
    // unknown or non-numeric parameter, or depends on itself through other expressions, and a
    // key that is empty or contains '.'.
    static SearchSpace parse(const nlohmann::json &space);

    // Whether name is a primitive ("uniform", "choice", ...), and all of them.
    static bool is_primitive(const std::string &name);
    static const std::vector<std::string> &primitive_names();

    // Every parameter, sorted by key path (compared key by key, as nested tables are walked).
    const std::vector<Parameter> &parameters() const { return parameters_; }

    // The parameter at key_path ("model.l1"), or nullptr.
    const Parameter *find(const std::string &key_path) const;

    // The grid dimensions, in parameter order: every grid_search, and with
    // GridAxes::grid_search_and_choice every choice as well.
    std::vector<GridAxis> grid_axes(GridAxes which = GridAxes::grid_search) const;

    // The number of grid points: the product of the axes' sizes, 1 if there are none.
    std::size_t grid_size(GridAxes which = GridAxes::grid_search) const;

    // One resolved config. The grid axes take the values of grid point grid_index (odometer
    // order, the last axis varies fastest), the other domains are sampled from rng in parameter
    // order, then the sample_from expressions are evaluated, each after those it references;
    // constants are copied and nested tables nested. Throws std::out_of_range for a grid_index
    // >= grid_size(which), and SpaceError if an expression fails.
    nlohmann::json sample(std::mt19937_64 &rng, std::size_t grid_index,
                          GridAxes which = GridAxes::grid_search) const;

    // Why config cannot have come from this space ("model.l1: expected an integer in [2, 9),
    // found 12"), or nullopt if it can: every parameter is present, every domain's value lies
    // in its domain, constants are equal, sample_from values are numbers. Keys the space does
    // not name are allowed.
    std::optional<std::string> violation(const nlohmann::json &config) const;
    bool contains(const nlohmann::json &config) const { return !violation(config); }

private:
    std::vector<Parameter> parameters_;
    // For each parameter, the indices of the parameters its expression references, aligned
    // with Expression::references(); empty for the others.
    std::vector<std::vector<std::size_t>> reference_indices_;
    // The sample_from parameters, each after the ones it references.
    std::vector<std::size_t> evaluation_order_;
};

} // namespace tune::space
