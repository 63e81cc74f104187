// Doubles in a plugin's JSON. JSON has no NaN or infinity, yet a scheduler's records hold
// them (a NaN metric, an infinite cutoff): saved state spells them out as strings, and what a
// person reads (details, describe_state) shows them as null. Header-only.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "tune/sdk/common.hpp"

namespace tune {

// For details and describe_state: null for NaN and infinities, an integer for a whole number
// (a milestone of 4, not 4.0), else the number.
inline Json display_number(double value) {
    if (!std::isfinite(value)) return nullptr;
    // Below 2^53 every whole double converts to int64 exactly.
    constexpr double exact_integer_limit = 9007199254740992.0;
    if (std::trunc(value) == value && std::fabs(value) < exact_integer_limit) return static_cast<std::int64_t>(value);
    return value;
}

// For saved state: the number, or "nan", "inf", "-inf". Round-trips every double exactly.
inline Json encode_double(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    return value;
}

// Inverse of encode_double. Throws StateError "<what> must be a number, ..." for anything
// else; `what` names the state and the field ("saved ASHA state: rung 2 reward").
inline double decode_double(const Json &value, const std::string &what) {
    if (value.is_number()) return value.get<double>();
    if (value == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (value == "inf") return std::numeric_limits<double>::infinity();
    if (value == "-inf") return -std::numeric_limits<double>::infinity();
    throw StateError(what + " must be a number, \"nan\", \"inf\" or \"-inf\", got " + value.dump());
}

} // namespace tune
