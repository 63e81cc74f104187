// The arithmetic of quantized domains (quniform, qrandint, ...): which multiples of q lie in a
// range, and their values without the noise of k * q. The space library samples and checks
// with it, and a searcher that models a grid itself (TPE) must land on the same values.
#pragma once

#include <cstdint>
#include <optional>

namespace tune::space {

// The integer nearest to ratio if ratio is within rounding noise of it (1e-9, relative).
std::optional<double> nearly_integral(double ratio);
// The first and last step k with k * q inside a range: ratio is bound / q; a ratio within
// rounding noise of an integer counts as that integer.
double step_at_or_above(double ratio);
double step_at_or_below(double ratio);

// How many decimal places q has (0.05 has 2), or nullopt if it has more than a double holds.
std::optional<int> decimals_of(double q);
// Rounds away the noise of k * q (3 * 0.1 is 0.30000000000000004) when q has decimals places.
double round_to_decimals(double value, int decimals);

// value / divisor rounded toward negative infinity (divisor > 0).
std::int64_t floor_div(std::int64_t value, std::int64_t divisor);

} // namespace tune::space
