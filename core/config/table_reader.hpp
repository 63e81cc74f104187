// Typed, located reads of one TOML table, collecting every problem rather than stopping at
// the first.
#pragma once

#include <optional>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "core/config/config_error.hpp"
#include "core/config/toml_values.hpp"

namespace tune::core {

// Collects the issues of one load. Each is located at a TOML source region: its own file
// (the experiment file, or "--set KEY=VALUE" for a node an override created), or line 1
// column 1 of the experiment file when the region is empty (e.g. a missing section).
class IssueLog {
public:
    explicit IssueLog(std::string file) : file_(std::move(file)) {}

    void add(const toml::source_region &where, std::string key_path, std::string message);
    void add(ConfigIssue issue) { issues_.push_back(std::move(issue)); }

    bool empty() const { return issues_.empty(); }
    std::size_t size() const { return issues_.size(); }

    // The experiment file's issues by line and column, then the others in the order found.
    std::vector<ConfigIssue> sorted() const;

private:
    std::string file_;
    std::vector<ConfigIssue> issues_;
};

// Reads the keys of one table of the schema. Construction reports every key that is not in
// known_keys, suggesting the closest known one. If table is null (the section is absent),
// every read returns nullopt and a missing required key is reported at `where`.
class TableReader {
public:
    TableReader(const toml::table *table, std::string key_path, const toml::source_region &where,
                std::vector<std::string> known_keys, IssueLog &log);

    std::string key_path(std::string_view key) const { return append_key_path(key_path_, key); }

    // The node at key, or null.
    const toml::node *node(std::string_view key) const;

    // Reports key as missing, saying what it should be, unless it is present.
    void require(std::string_view key, std::string_view expected);

    // Each returns nullopt when the key is absent or wrong; a wrong value is reported as
    // "expected EXPECTED, got TYPE VALUE" (or just VALUE when only the range is wrong).
    std::optional<std::string> string(std::string_view key);          // any string, even empty
    std::optional<std::string> non_empty_string(std::string_view key);
    std::optional<std::string> one_of(std::string_view key, const std::vector<std::string> &choices);
    std::optional<bool> boolean(std::string_view key);
    std::optional<long long> integer(std::string_view key, long long min);
    // A finite number (an integer or a float) above min, or at least min when inclusive.
    std::optional<double> number(std::string_view key, double min, bool inclusive);
    std::optional<double> finite_number(std::string_view key);
    const toml::table *sub_table(std::string_view key);

    // Reports node at key: "expected EXPECTED, got TYPE VALUE".
    void wrong_type(const toml::node &node, std::string_view key, std::string_view expected);
    // Reports node at key: "expected EXPECTED, got VALUE".
    void out_of_range(const toml::node &node, std::string_view key, std::string_view expected);

private:
    const toml::table *table_;
    std::string key_path_;
    toml::source_region where_;
    IssueLog &log_;
};

// Reports every key of table not in known_keys as "unknown KIND 'PATH'" (kind: "key" or
// "section"), with the closest known key as a suggestion, or the known keys when none is close.
void report_unknown_keys(const toml::table &table, std::string_view key_path,
                         const std::vector<std::string> &known_keys, std::string_view kind, IssueLog &log);

} // namespace tune::core
