#include "tune/space/space_error.hpp"

#include <utility>

namespace tune::space {

SpaceError::SpaceError(std::string key_path, std::string detail)
    : std::runtime_error(key_path.empty() ? detail : key_path + ": " + detail),
      key_path_(std::move(key_path)), detail_(std::move(detail)) {}

} // namespace tune::space
