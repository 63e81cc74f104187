#include "core/report/json_text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iterator>

namespace tune::core {

namespace {

template <class Integer> void append_integer(std::string &out, Integer value) {
    char text[24];
    out.append(text, std::to_chars(text, text + sizeof text, value).ptr);
}

} // namespace

void append_json_double(std::string &out, double value) {
    if (!std::isfinite(value)) {
        out += "null";
        return;
    }
    char text[32]; // the longest shortest form of a double is 24 characters
    const auto end = std::to_chars(text, text + sizeof text, value).ptr;
    out.append(text, end);
    if (std::find_if(text, end, [](char c) { return c == '.' || c == 'e'; }) == end) out += ".0";
}

void append_json_integer(std::string &out, long long value) { append_integer(out, value); }

bool is_plain_json_string(std::string_view value) {
    return std::all_of(value.begin(), value.end(), [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-' || c == '.';
    });
}

void append_json_value(std::string &out, const nlohmann::json &value) {
    switch (value.type()) {
    case nlohmann::json::value_t::number_float: append_json_double(out, value.get<double>()); break;
    case nlohmann::json::value_t::number_integer: append_integer(out, value.get<std::int64_t>()); break;
    case nlohmann::json::value_t::number_unsigned: append_integer(out, value.get<std::uint64_t>()); break;
    case nlohmann::json::value_t::boolean: out += value.get<bool>() ? "true" : "false"; break;
    default: out += value.dump(); break;
    }
}

} // namespace tune::core
