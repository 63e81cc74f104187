#include "core/config/toml_overrides.hpp"

#include <fmt/format.h>

#include "core/config/toml_values.hpp"

namespace tune::core {

namespace {

constexpr const char *kOverrideFile = "--set";

// The position of the '=' that ends the key, skipping any inside a quoted key.
std::string::size_type key_end(const std::string &override_text) {
    char quote = 0;
    for (std::string::size_type i = 0; i < override_text.size(); ++i) {
        char c = override_text[i];
        if (quote) {
            if (c == quote) quote = 0;
            else if (c == '\\' && quote == '"') ++i;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '=') {
            return i;
        }
    }
    return std::string::npos;
}

// A value that does not start like a TOML string, array or inline table, so it may be
// read as a plain string when it is not valid TOML.
bool is_bare_word(const std::string &value) {
    auto start = value.find_first_not_of(" \t");
    return start != std::string::npos && std::string("\"'[{").find(value[start]) == std::string::npos;
}

// value as a TOML basic string.
std::string as_toml_string(const std::string &value) {
    auto start = value.find_first_not_of(" \t");
    auto end = value.find_last_not_of(" \t");
    std::string text = "\"";
    for (char c : value.substr(start, end - start + 1)) {
        if (c == '"' || c == '\\') text += '\\';
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
            text += fmt::format("\\u{:04X}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        else
            text += c;
    }
    return text + "\"";
}

void report(IssueLog &log, const std::string &override_text, std::string key_path, const std::string &problem) {
    log.add(ConfigIssue{kOverrideFile, 0, 0, std::move(key_path),
                        fmt::format("cannot apply --set '{}': {}", override_text, problem)});
}

// The keys of the one value an override sets ("a.b.c = 1" gives a, b, c): the chain of
// single-entry tables toml++ builds for a dotted key. Empty if the text set several keys.
std::vector<toml::key> override_path(const toml::table &parsed) {
    std::vector<toml::key> path;
    const toml::table *table = &parsed;
    while (table && table->size() == 1) {
        auto entry = table->cbegin();
        path.push_back(entry->first);
        const toml::node &value = entry->second;
        if (!value.is_table() || value.as_table()->is_inline()) return path;
        table = value.as_table();
    }
    return {};
}

void apply_override(toml::table &document, const std::string &override_text, IssueLog &log) {
    auto eq = key_end(override_text);
    if (eq == std::string::npos) {
        report(log, override_text, "", "expected KEY.PATH=VALUE");
        return;
    }
    const std::string source = std::string(kOverrideFile) + " " + override_text;
    toml::table parsed;
    try {
        parsed = toml::parse(std::string_view(override_text), std::string_view(source));
    } catch (const toml::parse_error &error) {
        std::string value = override_text.substr(eq + 1);
        if (!is_bare_word(value)) {
            report(log, override_text, "", std::string(error.description()));
            return;
        }
        try {
            parsed = toml::parse(std::string_view(override_text.substr(0, eq + 1) + as_toml_string(value)),
                                 std::string_view(source));
        } catch (const toml::parse_error &quoted_error) {
            report(log, override_text, "", std::string(quoted_error.description()));
            return;
        }
    }

    std::vector<toml::key> path = override_path(parsed);
    if (path.empty()) {
        report(log, override_text, "", "expected one KEY.PATH=VALUE");
        return;
    }
    toml::table *target = &document;
    toml::table *from = &parsed;
    std::string key_path;
    for (std::size_t depth = 0; depth + 1 < path.size(); ++depth) {
        const toml::key &key = path[depth];
        key_path = append_key_path(key_path, key.str());
        toml::node *existing = target->get(key.str());
        if (!existing) {
            // Nothing there yet: the rest of the override's tables move over whole.
            target->insert_or_assign(key, std::move(*from->get(key.str())));
            return;
        }
        if (!existing->is_table()) {
            report(log, override_text, key_path,
                   fmt::format("'{}' is {}, not a table", key_path, describe_toml_value(*existing)));
            return;
        }
        target = existing->as_table();
        from = from->get(key.str())->as_table();
    }
    target->insert_or_assign(path.back(), std::move(*from->get(path.back().str())));
}

} // namespace

void apply_overrides(toml::table &document, const std::vector<std::string> &overrides, IssueLog &log) {
    for (const auto &override_text : overrides) apply_override(document, override_text, log);
}

} // namespace tune::core
