#include "core/config/table_reader.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/config/key_suggestion.hpp"

namespace tune::core {

namespace {

// How a range reads in a message: "a number > 0", "an integer >= 1".
std::string number_expectation(double min, bool inclusive) {
    return fmt::format("a number {} {}", inclusive ? ">=" : ">", min);
}

std::string integer_expectation(long long min) { return fmt::format("an integer >= {}", min); }

} // namespace

void IssueLog::add(const toml::source_region &where, std::string key_path, std::string message) {
    ConfigIssue issue;
    issue.file = where.path ? *where.path : file_;
    issue.line = where.begin.line > 0 ? static_cast<int>(where.begin.line) : 1;
    issue.column = where.begin.column > 0 ? static_cast<int>(where.begin.column) : 1;
    issue.key_path = std::move(key_path);
    issue.message = std::move(message);
    issues_.push_back(std::move(issue));
}

std::vector<ConfigIssue> IssueLog::sorted() const {
    std::vector<ConfigIssue> ordered = issues_;
    std::stable_sort(ordered.begin(), ordered.end(), [this](const ConfigIssue &a, const ConfigIssue &b) {
        bool a_in_file = a.file == file_, b_in_file = b.file == file_;
        if (a_in_file != b_in_file) return a_in_file;
        if (!a_in_file) return false; // the others keep the order they were found in
        return std::make_pair(a.line, a.column) < std::make_pair(b.line, b.column);
    });
    return ordered;
}

void report_unknown_keys(const toml::table &table, std::string_view key_path,
                         const std::vector<std::string> &known_keys, std::string_view kind, IssueLog &log) {
    for (const auto &[key, value] : table) {
        if (std::find(known_keys.begin(), known_keys.end(), key.str()) != known_keys.end()) continue;
        std::string path = append_key_path(key_path, key.str());
        std::string message = fmt::format("unknown {} '{}'", kind, path);
        if (auto suggestion = closest_key(key.str(), known_keys))
            message += fmt::format("; did you mean '{}'?", *suggestion);
        else
            message += fmt::format("; known {}s: {}", kind, fmt::join(known_keys, ", "));
        // The key's own position when toml++ knows it, else where its value starts.
        log.add(key.source().begin.line > 0 ? key.source() : value.source(), std::move(path), std::move(message));
    }
}

TableReader::TableReader(const toml::table *table, std::string key_path, const toml::source_region &where,
                         std::vector<std::string> known_keys, IssueLog &log)
    : table_(table), key_path_(std::move(key_path)), where_(table ? table->source() : where), log_(log) {
    if (table_) report_unknown_keys(*table_, key_path_, known_keys, "key", log_);
}

const toml::node *TableReader::node(std::string_view key) const { return table_ ? table_->get(key) : nullptr; }

void TableReader::require(std::string_view key, std::string_view expected) {
    if (node(key)) return;
    log_.add(where_, key_path(key), fmt::format("missing required key '{}'; expected {}", key_path(key), expected));
}

void TableReader::wrong_type(const toml::node &node, std::string_view key, std::string_view expected) {
    log_.add(node.source(), key_path(key), fmt::format("expected {}, got {}", expected, describe_toml_value(node)));
}

void TableReader::out_of_range(const toml::node &node, std::string_view key, std::string_view expected) {
    log_.add(node.source(), key_path(key), fmt::format("expected {}, got {}", expected, toml_value_text(node)));
}

std::optional<std::string> TableReader::string(std::string_view key) {
    const toml::node *found = node(key);
    if (!found) return std::nullopt;
    if (!found->is_string()) {
        wrong_type(*found, key, "a string");
        return std::nullopt;
    }
    return found->as_string()->get();
}

std::optional<std::string> TableReader::non_empty_string(std::string_view key) {
    const toml::node *found = node(key);
    if (!found) return std::nullopt;
    if (!found->is_string() || found->as_string()->get().empty()) {
        wrong_type(*found, key, "a non-empty string");
        return std::nullopt;
    }
    return found->as_string()->get();
}

std::optional<std::string> TableReader::one_of(std::string_view key, const std::vector<std::string> &choices) {
    const toml::node *found = node(key);
    if (!found) return std::nullopt;
    if (found->is_string() &&
        std::find(choices.begin(), choices.end(), found->as_string()->get()) != choices.end())
        return found->as_string()->get();
    std::vector<std::string> quoted;
    for (const auto &choice : choices) quoted.push_back(nlohmann::json(choice).dump());
    wrong_type(*found, key, fmt::format("{}", fmt::join(quoted, " or ")));
    return std::nullopt;
}

std::optional<bool> TableReader::boolean(std::string_view key) {
    const toml::node *found = node(key);
    if (!found) return std::nullopt;
    if (!found->is_boolean()) {
        wrong_type(*found, key, "a boolean");
        return std::nullopt;
    }
    return found->as_boolean()->get();
}

std::optional<long long> TableReader::integer(std::string_view key, long long min) {
    const toml::node *found = node(key);
    if (!found) return std::nullopt;
    if (!found->is_integer()) {
        wrong_type(*found, key, integer_expectation(min));
        return std::nullopt;
    }
    long long value = found->as_integer()->get();
    if (value < min) {
        out_of_range(*found, key, integer_expectation(min));
        return std::nullopt;
    }
    return value;
}

std::optional<double> TableReader::number(std::string_view key, double min, bool inclusive) {
    const toml::node *found = node(key);
    if (!found) return std::nullopt;
    if (!found->is_number()) {
        wrong_type(*found, key, number_expectation(min, inclusive));
        return std::nullopt;
    }
    double value = toml_number(*found);
    if (!std::isfinite(value) || value < min || (!inclusive && value == min)) {
        out_of_range(*found, key, number_expectation(min, inclusive));
        return std::nullopt;
    }
    return value;
}

std::optional<double> TableReader::finite_number(std::string_view key) {
    const toml::node *found = node(key);
    if (!found) return std::nullopt;
    if (!found->is_number()) {
        wrong_type(*found, key, "a number");
        return std::nullopt;
    }
    double value = toml_number(*found);
    if (!std::isfinite(value)) {
        out_of_range(*found, key, "a finite number");
        return std::nullopt;
    }
    return value;
}

const toml::table *TableReader::sub_table(std::string_view key) {
    const toml::node *found = node(key);
    if (!found) return nullptr;
    if (!found->is_table()) {
        wrong_type(*found, key, "a table");
        return nullptr;
    }
    return found->as_table();
}

} // namespace tune::core
