#include "json_numbers.hpp"

#include <cmath>
#include <cstdint>
#include <limits>

namespace tune::asha {

Json display_number(double value) {
    if (!std::isfinite(value)) return nullptr;
    // Below 2^53 every whole double converts to int64 exactly.
    constexpr double exact_integer_limit = 9007199254740992.0;
    if (std::trunc(value) == value && std::fabs(value) < exact_integer_limit)
        return static_cast<std::int64_t>(value);
    return value;
}

Json encode_double(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    return value;
}

double decode_double(const Json &value, const std::string &what) {
    if (value.is_number()) return value.get<double>();
    if (value == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (value == "inf") return std::numeric_limits<double>::infinity();
    if (value == "-inf") return -std::numeric_limits<double>::infinity();
    throw StateError("saved ASHA state: " + what + " must be a number, \"nan\", \"inf\" or \"-inf\", got " +
                     value.dump());
}

} // namespace tune::asha
