// How the ASHA plugin writes doubles into JSON. JSON has no NaN or infinity, and rungs do
// record NaN rewards, so saved state spells them out as strings.
#pragma once

#include <string>

#include "tune/plugin.hpp"

namespace tune::asha {

// For details and describe_state: null for NaN and infinities, an integer for a whole number
// (a milestone of 4, not 4.0), else the number.
Json display_number(double value);

// For saved state: the number, or "nan", "inf", "-inf". Round-trips every double exactly.
Json encode_double(double value);

// Inverse of encode_double. Throws StateError naming what for anything else.
double decode_double(const Json &value, const std::string &what);

} // namespace tune::asha
