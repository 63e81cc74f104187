// Reading a JSON object of plain fields without building a document: the form nearly every
// result takes ({"loss": 0.31, "accuracy": 0.9}), on the path that runs once per result.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace tune::core {

// One top-level field, as offsets into the text it was scanned from.
struct FlatField {
    enum class Kind : std::uint8_t { Number, String, Bool, Null };
    std::uint32_t key_begin = 0, key_size = 0;     // the key, without its quotes
    std::uint32_t value_begin = 0, value_size = 0; // the value as written; a string without its quotes
    Kind kind = Kind::Null;

    std::string_view key(std::string_view text) const { return text.substr(key_begin, key_size); }
    std::string_view value(std::string_view text) const { return text.substr(value_begin, value_size); }
};

// Scans text as one JSON object whose values are numbers, strings, booleans or null, and
// appends its fields to `fields`. Returns false, leaving `fields` unspecified, for anything
// else: text that is not valid JSON, and valid JSON that is not such an object (nested
// values, escapes or non-ASCII bytes in strings, a repeated key), which callers read with a
// full JSON parser instead. When it returns true, the text is valid JSON.
bool scan_flat_object(std::string_view text, std::vector<FlatField> &fields);

// The field named key, or null.
const FlatField *find_field(std::string_view text, const std::vector<FlatField> &fields, std::string_view key);

// The number a Number field holds, as a JSON parser reads it.
double field_number(std::string_view text, const FlatField &field);

// The number in the field named key, if there is one and it holds a number.
std::optional<double> flat_number(std::string_view text, const std::vector<FlatField> &fields, std::string_view key);

} // namespace tune::core
