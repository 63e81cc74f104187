// Writing JSON values as text on the result path, where nlohmann::json's dump() (a string per
// value, and its slower double formatting) would cost more than the rest of a result's
// handling.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tune::core {

// Appends value as the shortest text that reads back as the same double, always as a float
// ("3.0", not "3", as dump() writes it); a non-finite value, which JSON cannot hold, as null.
void append_json_double(std::string &out, double value);

void append_json_integer(std::string &out, long long value);

// Whether value needs no escaping as a JSON string (letters, digits, "_-.").
bool is_plain_json_string(std::string_view value);

// Appends value as dump() would, numbers through append_json_double.
void append_json_value(std::string &out, const nlohmann::json &value);

} // namespace tune::core
