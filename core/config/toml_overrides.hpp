// --set KEY.PATH=VALUE: command-line values laid over an experiment document.
#pragma once

#include <string>
#include <vector>

#include <toml++/toml.h>

#include "core/config/table_reader.hpp"

namespace tune::core {

// Applies each "key.path=value" to document, in order, replacing what is there and creating
// missing tables. VALUE is a TOML value (10, 0.5, true, "text", [1, 2], { a = 1 }); a bare
// word that is not valid TOML is taken as a string. The nodes an override adds carry the
// source path "--set KEY=VALUE", so later issues about them name the override. An override
// that does not parse, or whose path runs through a value that is not a table, is reported
// with file "--set" and the override quoted; the others still apply.
void apply_overrides(toml::table &document, const std::vector<std::string> &overrides, IssueLog &log);

} // namespace tune::core
