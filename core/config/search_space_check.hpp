// Validating [search_space] with tune::space, locating each problem at its TOML node.
#pragma once

#include <string>

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include "core/config/table_reader.hpp"

namespace tune::core {

// Parses space (the table at key_path, e.g. "search_space") as a tune::space::SearchSpace and
// reports every problem it finds, each at the node its key path names, and returns the space
// as JSON. The space library stops at its first problem, so each bad parameter is set aside
// (replaced by a constant) and the space parsed again, until it parses.
nlohmann::json check_search_space(const toml::table &space, const std::string &key_path, IssueLog &log);

} // namespace tune::core
