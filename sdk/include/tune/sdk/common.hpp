// C++ helpers for plugin authors: errors, JSON access, the host handle, and the exception
// barrier. Header-only; depends on the C ABI and nlohmann-json only.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "tune/tune.h"

namespace tune {

using Json = nlohmann::json;

// Throw these from plugin code: the helpers turn them into the matching status and message.
class Error : public std::runtime_error {
public:
    Error(tune_status_t status, const std::string &message)
        : std::runtime_error(message), status_(status) {}
    tune_status_t status() const noexcept { return status_; }

private:
    tune_status_t status_;
};

struct ConfigError : Error {
    explicit ConfigError(const std::string &message) : Error(TUNE_ERROR_INVALID_CONFIG, message) {}
};
struct IoError : Error {
    explicit IoError(const std::string &message) : Error(TUNE_ERROR_IO, message) {}
};
struct StateError : Error {
    explicit StateError(const std::string &message) : Error(TUNE_ERROR_STATE, message) {}
};

// A plugin's saved state, as its save() wrote it: a JSON object whose "format" is format.
// Throws StateError "saved ASHA state is not JSON: ..." or "saved state is not ASHA state
// (expected "format": "...")", plugin naming the plugin.
inline Json parse_saved_state(const std::string &text, const std::string &plugin, const std::string &format) {
    Json state;
    try {
        state = Json::parse(text);
    } catch (const Json::parse_error &e) {
        throw StateError("saved " + plugin + " state is not JSON: " + e.what());
    }
    if (!state.is_object() || !state.contains("format") || state["format"] != format)
        throw StateError("saved state is not " + plugin + " state (expected \"format\": \"" + format + "\")");
    return state;
}

// object[key], or null where object has no such key (or is no object): reads saved state and
// details without a check at each level. The reference lives as long as object.
inline const Json &json_field(const Json &object, const char *key) {
    static const Json absent;
    auto found = object.find(key);
    return found == object.end() ? absent : *found;
}

// A count in a plugin's saved state, state[key]. Throws StateError "saved PBT state needs an
// integer 'num_checkpoints'", plugin naming the plugin.
inline std::uint64_t saved_count(const Json &state, const char *key, const std::string &plugin) {
    const Json &value = json_field(state, key);
    if (!value.is_number_unsigned())
        throw StateError("saved " + plugin + " state needs an integer '" + key + "'");
    return value.get<std::uint64_t>();
}

namespace detail {

template <class T> constexpr const char *expected_name() {
    if constexpr (std::is_same_v<T, bool>) return "a boolean";
    else if constexpr (std::is_integral_v<T>) return "an integer";
    else if constexpr (std::is_floating_point_v<T>) return "a number";
    else if constexpr (std::is_same_v<T, std::string>) return "a string";
    else return "a value of another type";
}

template <class T> bool holds(const Json &value) {
    if constexpr (std::is_same_v<T, bool>) return value.is_boolean();
    else if constexpr (std::is_integral_v<T>) return value.is_number_integer();
    else if constexpr (std::is_floating_point_v<T>) return value.is_number();
    else if constexpr (std::is_same_v<T, std::string>) return value.is_string();
    else return true;
}

// The ConfigError for a config value of the wrong type: "config key 'lr' must be a number,
// got string "fast"". Also used by the host's typed config reads (tune_host_t.config_number).
inline ConfigError wrong_type_error(const std::string &key, const char *expected, const Json &value) {
    return ConfigError("config key '" + key + "' must be " + expected + ", got " + value.type_name() + " " +
                       value.dump());
}

// The value found under key (nullptr if absent) as T, or throws ConfigError naming the key and
// what was expected. require's check, shared with the host's typed config reads.
template <class T> T require_found(const Json *value, const std::string &key) {
    if (!value) throw ConfigError("config key '" + key + "' is missing; expected " + expected_name<T>());
    if (!holds<T>(*value)) throw wrong_type_error(key, expected_name<T>(), *value);
    return value->get<T>();
}

} // namespace detail

// Reads config[key] as T, or throws ConfigError naming the key and what was expected.
template <class T> T require(const Json &config, const std::string &key) {
    if (!config.is_object()) throw ConfigError("config must be a JSON object");
    auto it = config.find(key);
    return detail::require_found<T>(it == config.end() ? nullptr : &*it, key);
}

// Reads config[key] as T if present, else returns fallback. A present value of the wrong type
// is still an error.
template <class T> T get_or(const Json &config, const std::string &key, T fallback) {
    if (!config.is_object() || !config.contains(key)) return fallback;
    return require<T>(config, key);
}

// The host's services, as seen by a plugin instance. Reads a field of tune_host_t only if the
// host's struct_size covers it (the growth rule in tune/entry.h).
class Host {
public:
    explicit Host(const tune_host_t *host = nullptr) : host_(host) {}
    void log(tune_log_level_t level, const std::string &message) const {
        if (host_ && TUNE_STRUCT_HAS_FIELD(host_, tune_host_t, log) && host_->log)
            host_->log(host_, level, message.c_str());
    }
    const tune_host_t *raw() const { return host_; }

private:
    const tune_host_t *host_;
};

namespace detail {

inline void write_error(tune_error_t *error, const char *message) {
    if (!error) return;
    std::snprintf(error->message, sizeof error->message, "%s", message);
}

inline void append(const tune_text_out_t *out, const std::string &text) {
    if (out && out->append) out->append(out->ctx, text.data(), text.size());
}

inline Json parse_json(const char *text, const char *what) {
    if (!text) throw Error(TUNE_ERROR_INVALID_ARGUMENT, std::string(what) + " is NULL");
    try {
        return Json::parse(text);
    } catch (const Json::parse_error &e) {
        throw Error(TUNE_ERROR_INVALID_ARGUMENT,
                    std::string(what) + " is not valid JSON: " + e.what());
    }
}

// Like parse_json, but the text must hold a JSON object (a config or settings): anything else
// is a ConfigError, so that helpers such as get_or never silently read defaults from `[]`.
inline Json parse_json_object(const char *text, const char *what) {
    Json value = parse_json(text, what);
    if (!value.is_object())
        throw ConfigError(std::string(what) + " must be a JSON object, got " + value.type_name());
    return value;
}

// The exception barrier: runs body, converting every exception to a status and message.
// Nothing thrown by plugin code ever crosses the C boundary.
template <class Body> tune_status_t guard(tune_error_t *error, Body &&body) noexcept {
    try {
        std::forward<Body>(body)();
        return TUNE_OK;
    } catch (const Error &e) {
        write_error(error, e.what());
        return e.status();
    } catch (const Json::exception &e) {
        write_error(error, e.what());
        return TUNE_ERROR_INVALID_CONFIG;
    } catch (const std::exception &e) {
        write_error(error, e.what());
        return TUNE_ERROR_INTERNAL;
    } catch (...) {
        write_error(error, "unknown C++ exception");
        return TUNE_ERROR_INTERNAL;
    }
}

// The C instance and the C++ object behind it.
template <class P> struct Instance {
    tune_plugin_t c{};
    P object;
};

template <class P> P &self(tune_plugin_t *plugin) {
    if (!plugin || !plugin->plugin_data) throw Error(TUNE_ERROR_INVALID_ARGUMENT, "plugin is NULL");
    return static_cast<Instance<P> *>(plugin->plugin_data)->object;
}

} // namespace detail

// Base of every C++ plugin: gives access to the host.
class PluginBase {
public:
    virtual ~PluginBase() = default;
    const Host &host() const { return host_; }
    void attach_host(const tune_host_t *host) { host_ = Host(host); }

private:
    Host host_;
};

} // namespace tune
