// Reading TOML nodes: conversion to JSON, and the names and texts used in messages.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

namespace tune::core {

// The node as JSON: integers stay integers, floats stay floats, dates and times become their
// RFC 3339 text, tables become objects.
nlohmann::json toml_to_json(const toml::node &node);

// The value of an integer or float node as a double.
double toml_number(const toml::node &node);

// The value written as inline TOML: "ten" quoted, 5, 2.5, 1.0, true, [1, 2], { a = 1 }.
std::string toml_value_text(const toml::node &node);

// The type and value, as a message shows what it found: string "ten", integer 5, table { a = 1 }.
std::string describe_toml_value(const toml::node &node);

// parent.key, quoting key when it is not a bare TOML key: search_space."a.b". parent may be empty.
std::string append_key_path(std::string_view parent, std::string_view key);

} // namespace tune::core
