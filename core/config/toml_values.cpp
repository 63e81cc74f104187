#include "core/config/toml_values.hpp"

#include <sstream>

#include <fmt/format.h>

namespace tune::core {

namespace {

template <class T> std::string streamed(const T &value) {
    std::ostringstream out;
    out << value;
    return out.str();
}

bool is_bare_key(std::string_view key) {
    if (key.empty()) return false;
    for (char c : key)
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    return true;
}

// TOML's float spelling: 1.0 rather than 1, inf and nan as TOML writes them.
std::string float_text(double value) {
    std::string text = fmt::format("{}", value);
    if (text.find_first_of(".eni") == std::string::npos) text += ".0";
    return text;
}

// "string", "integer", "float", "boolean", "date", "time", "date-time", "array" or "table".
std::string toml_type_name(const toml::node &node) {
    switch (node.type()) {
    case toml::node_type::table: return "table";
    case toml::node_type::array: return "array";
    case toml::node_type::string: return "string";
    case toml::node_type::integer: return "integer";
    case toml::node_type::floating_point: return "float";
    case toml::node_type::boolean: return "boolean";
    case toml::node_type::date: return "date";
    case toml::node_type::time: return "time";
    case toml::node_type::date_time: return "date-time";
    case toml::node_type::none: break;
    }
    return "nothing";
}

} // namespace

nlohmann::json toml_to_json(const toml::node &node) {
    switch (node.type()) {
    case toml::node_type::table: {
        auto object = nlohmann::json::object();
        for (const auto &[key, value] : *node.as_table()) object[std::string(key.str())] = toml_to_json(value);
        return object;
    }
    case toml::node_type::array: {
        auto array = nlohmann::json::array();
        for (const auto &element : *node.as_array()) array.push_back(toml_to_json(element));
        return array;
    }
    case toml::node_type::string: return node.as_string()->get();
    case toml::node_type::integer: return node.as_integer()->get();
    case toml::node_type::floating_point: return node.as_floating_point()->get();
    case toml::node_type::boolean: return node.as_boolean()->get();
    case toml::node_type::date: return streamed(node.as_date()->get());
    case toml::node_type::time: return streamed(node.as_time()->get());
    case toml::node_type::date_time: return streamed(node.as_date_time()->get());
    case toml::node_type::none: break;
    }
    return nullptr;
}

double toml_number(const toml::node &node) {
    return node.is_integer() ? static_cast<double>(node.as_integer()->get()) : node.as_floating_point()->get();
}

std::string toml_value_text(const toml::node &node) {
    switch (node.type()) {
    case toml::node_type::table: {
        std::string text;
        for (const auto &[key, value] : *node.as_table())
            text += (text.empty() ? "" : ", ") + append_key_path("", key.str()) + " = " + toml_value_text(value);
        return text.empty() ? "{}" : "{ " + text + " }";
    }
    case toml::node_type::array: {
        std::string text;
        for (const auto &element : *node.as_array()) text += (text.empty() ? "" : ", ") + toml_value_text(element);
        return "[" + text + "]";
    }
    case toml::node_type::string: return nlohmann::json(node.as_string()->get()).dump();
    case toml::node_type::floating_point: return float_text(node.as_floating_point()->get());
    case toml::node_type::boolean: return node.as_boolean()->get() ? "true" : "false";
    case toml::node_type::integer: return std::to_string(node.as_integer()->get());
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time: return toml_to_json(node).get<std::string>();
    case toml::node_type::none: break;
    }
    return "nothing";
}

std::string describe_toml_value(const toml::node &node) {
    return toml_type_name(node) + " " + toml_value_text(node);
}

std::string append_key_path(std::string_view parent, std::string_view key) {
    std::string written = is_bare_key(key) ? std::string(key) : nlohmann::json(std::string(key)).dump();
    return parent.empty() ? written : std::string(parent) + "." + written;
}

} // namespace tune::core
