// Grids: the cross product of the parameters whose values a search enumerates.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tune::space {

// Which domains a grid point fixes. Random search (Ray Tune's BasicVariantGenerator) walks
// grid_search only and samples choice; the grid searcher enumerates choice too.
enum class GridAxes { grid_search, grid_search_and_choice };

// One dimension of a grid: a parameter and the values it takes, in the order given.
struct GridAxis {
    std::string key_path;
    std::vector<nlohmann::json> values;
};

// The number of points of the cross product of axes: the product of their sizes, 1 for no
// axes. Throws SpaceError naming the axis where the product exceeds std::size_t.
std::size_t grid_point_count(const std::vector<GridAxis> &axes);

// The value index on each axis of grid point index, in odometer order: the last axis varies
// fastest. Throws std::out_of_range if index >= grid_point_count(axes).
std::vector<std::size_t> grid_point(const std::vector<GridAxis> &axes, std::size_t index);

} // namespace tune::space
