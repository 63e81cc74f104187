#include "tune/space/grid.hpp"

#include <limits>
#include <stdexcept>

#include "tune/space/space_error.hpp"

namespace tune::space {

std::size_t grid_point_count(const std::vector<GridAxis> &axes) {
    std::size_t count = 1;
    for (const GridAxis &axis : axes) {
        if (axis.values.size() > std::numeric_limits<std::size_t>::max() / count)
            throw SpaceError(axis.key_path, "the grid has more than " +
                                                std::to_string(std::numeric_limits<std::size_t>::max()) +
                                                " points; use fewer grid values");
        count *= axis.values.size();
    }
    return count;
}

std::vector<std::size_t> grid_point(const std::vector<GridAxis> &axes, std::size_t index) {
    const std::size_t count = grid_point_count(axes);
    if (index >= count)
        throw std::out_of_range("grid index " + std::to_string(index) + " is out of range; the grid has " +
                                std::to_string(count) + " points");
    std::vector<std::size_t> point(axes.size());
    for (std::size_t axis = axes.size(); axis-- > 0;) {
        point[axis] = index % axes[axis].values.size();
        index /= axes[axis].values.size();
    }
    return point;
}

} // namespace tune::space
