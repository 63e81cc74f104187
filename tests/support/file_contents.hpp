// Files the tests read back whole: logs, pages, and the JSON of results folders (summary.json,
// result.jsonl, ...).
#pragma once

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tune::test {

// The file's bytes; "" for a missing file.
inline std::string read_text(const std::filesystem::path &file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The file's JSON document; the test fails if the file cannot be opened.
inline nlohmann::json read_json(const std::filesystem::path &file) {
    std::ifstream in(file);
    REQUIRE(in);
    return nlohmann::json::parse(in);
}

// One document per non-empty line (result.jsonl, decisions.jsonl); none for a missing file.
inline std::vector<nlohmann::json> read_json_lines(const std::filesystem::path &file) {
    std::ifstream in(file);
    std::vector<nlohmann::json> rows;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) rows.push_back(nlohmann::json::parse(line));
    return rows;
}

} // namespace tune::test
