// One result as the experiment records it: a line of JSON text (what result.jsonl holds and
// the searcher and scheduler receive) and a way to read its values. A flat result (plain
// fields, the common case) is read straight from its text and parsed into a document only if
// someone asks for one; any other carries its parsed value.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/report/flat_json.hpp"

namespace tune::core {

// The number under key in a JSON object, if it holds one.
std::optional<double> json_number(const nlohmann::json &object, std::string_view key);

class ResultLine {
public:
    // A flat result: its text and its fields, scanned from that text (scan_flat_object).
    ResultLine(std::string text, std::vector<FlatField> fields);
    // Any result: its value; the text is value.dump().
    explicit ResultLine(nlohmann::json value);
    // A result read back as text (a saved state): flat if it scans as flat, else parsed.
    // Throws nlohmann::json::exception if it is not JSON.
    static ResultLine from_text(std::string text);

    const std::string &text() const { return text_; }
    bool is_flat() const { return flat_; }
    const std::vector<FlatField> &fields() const { return fields_; } // a flat result's
    // The result as a document (parsed on first use for a flat result).
    const nlohmann::json &value() const;

    bool contains(std::string_view key) const;
    // The number under key, if it holds one.
    std::optional<double> number(std::string_view key) const;

private:
    std::string text_;
    std::vector<FlatField> fields_;
    bool flat_ = false;
    mutable std::optional<nlohmann::json> value_;
};

} // namespace tune::core
