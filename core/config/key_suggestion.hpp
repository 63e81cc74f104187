// "Did you mean ...?" for misspelt keys.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tune::core {

// The number of single-character insertions, deletions, substitutions and swaps of two
// neighbours that turn a into b (the optimal string alignment distance).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to word, if it is within max_distance edits; the first one on a tie.
std::optional<std::string> closest_key(std::string_view word, const std::vector<std::string> &candidates,
                                       std::size_t max_distance = 2);

} // namespace tune::core
