// The error every search-space operation throws for an invalid space or config.
#pragma once

#include <stdexcept>
#include <string>

namespace tune::space {

// A search space (or a config checked against one) is invalid at key_path ("model.l1"; empty
// when the problem is the whole space). what() is "key_path: detail", or just detail when the
// key path is empty, so a caller can show it as is.
class SpaceError : public std::runtime_error {
public:
    SpaceError(std::string key_path, std::string detail);

    const std::string &key_path() const noexcept { return key_path_; }
    // The message without the key path: what was expected and what was found.
    const std::string &detail() const noexcept { return detail_; }

private:
    std::string key_path_;
    std::string detail_;
};

} // namespace tune::space
