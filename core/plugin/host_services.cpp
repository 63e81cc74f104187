#include "core/plugin/host_services.hpp"

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include <spdlog/spdlog.h>

#include "tune/sdk/common.hpp"

namespace tune::core {

namespace {

void log_from_plugin(const tune_host_t *, tune_log_level_t level, const char *message) {
    if (!message) return;
    switch (level) {
    case TUNE_LOG_DEBUG: spdlog::debug("[plugin] {}", message); break;
    case TUNE_LOG_INFO: spdlog::info("[plugin] {}", message); break;
    case TUNE_LOG_WARNING: spdlog::warn("[plugin] {}", message); break;
    default: spdlog::error("[plugin] {}", message); break; // TUNE_LOG_ERROR, and any level this host does not know
    }
}

Error invalid_argument(const std::string &message) { return Error(TUNE_ERROR_INVALID_ARGUMENT, message); }

// The value at path ("optimizer.lr") in the object config, or nullptr where a key on the path is
// absent. An object on the path that holds another type is an error naming that object's path,
// as a present value of the wrong type is for get_or.
const Json *find_path(const Json &config, const std::string &path) {
    const Json *object = &config;
    for (std::size_t begin = 0;;) {
        const std::size_t dot = path.find('.', begin);
        auto found = object->find(path.substr(begin, dot == std::string::npos ? std::string::npos : dot - begin));
        if (found == object->end()) return nullptr;
        if (dot == std::string::npos) return &*found;
        if (!found->is_object()) throw detail::wrong_type_error(path.substr(0, dot), "an object", *found);
        object = &*found;
        begin = dot + 1;
    }
}

// What every typed read shares: the argument checks, parsing, the path walk, the default for an
// absent optional key, and the exception barrier. read(value, path, use_default) gets the value
// found, or nullptr where it is absent: then use_default says whether the key is optional; if not,
// require_found names it missing.
template <class Read>
tune_status_t read_config(const char *config_json, const char *key_path, tune_config_presence_t presence,
                          const void *out, tune_error_t *error, Read &&read) noexcept {
    return detail::guard(error, [&] {
        if (!key_path || !*key_path) throw invalid_argument("key_path is NULL or empty");
        const std::string path = key_path;
        if (path.front() == '.' || path.back() == '.' || path.find("..") != std::string::npos)
            throw invalid_argument("key_path '" + path + "' has an empty key");
        if (presence != TUNE_CONFIG_OPTIONAL && presence != TUNE_CONFIG_REQUIRED)
            throw invalid_argument("presence must be TUNE_CONFIG_OPTIONAL (0) or TUNE_CONFIG_REQUIRED (1), got " +
                                   std::to_string(presence));
        if (!out) throw invalid_argument("the output for config key '" + path + "' is NULL");
        const Json config = detail::parse_json_object(config_json, "config");
        const Json *value = find_path(config, path);
        read(value, path, presence == TUNE_CONFIG_OPTIONAL && !value);
    });
}

tune_status_t config_number(const tune_host_t *, const char *config_json, const char *key_path,
                            tune_config_presence_t presence, double default_value, double *out, tune_error_t *error) {
    return read_config(config_json, key_path, presence, out, error,
                       [&](const Json *value, const std::string &path, bool use_default) {
                           *out = use_default ? default_value : detail::require_found<double>(value, path);
                       });
}

tune_status_t config_integer(const tune_host_t *, const char *config_json, const char *key_path,
                             tune_config_presence_t presence, std::int64_t default_value, std::int64_t *out,
                             tune_error_t *error) {
    return read_config(config_json, key_path, presence, out, error,
                       [&](const Json *value, const std::string &path, bool use_default) {
                           if (use_default) {
                               *out = default_value;
                               return;
                           }
                           // nlohmann keeps integers above INT64_MAX unsigned; get<int64_t> would wrap them.
                           if (value && value->is_number_unsigned() &&
                               value->get<std::uint64_t>() >
                                   static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
                               throw detail::wrong_type_error(path, "an integer that fits in 64 bits", *value);
                           *out = detail::require_found<std::int64_t>(value, path);
                       });
}

tune_status_t config_string(const tune_host_t *, const char *config_json, const char *key_path,
                            tune_config_presence_t presence, const char *default_value, char *buffer,
                            std::size_t capacity, tune_error_t *error) {
    return read_config(config_json, key_path, presence, buffer, error,
                       [&](const Json *value, const std::string &path, bool use_default) {
                           if (capacity == 0)
                               throw invalid_argument("the buffer for config key '" + path + "' has capacity 0");
                           std::string text;
                           if (use_default) {
                               text = default_value ? default_value : "";
                               if (text.size() >= capacity)
                                   throw invalid_argument("the default of config key '" + path + "' is " +
                                                          std::to_string(text.size()) + " bytes, more than the " +
                                                          std::to_string(capacity - 1) + " its buffer holds");
                           } else {
                               text = detail::require_found<std::string>(value, path);
                               if (text.find('\0') != std::string::npos)
                                   throw detail::wrong_type_error(path, "a string without NUL characters", *value);
                               if (text.size() >= capacity)
                                   throw ConfigError("config key '" + path + "' must be a string of at most " +
                                                     std::to_string(capacity - 1) + " bytes, got " +
                                                     std::to_string(text.size()) + " bytes");
                           }
                           std::memcpy(buffer, text.c_str(), text.size() + 1);
                       });
}

tune_status_t config_bool(const tune_host_t *, const char *config_json, const char *key_path,
                          tune_config_presence_t presence, std::int32_t default_value, std::int32_t *out,
                          tune_error_t *error) {
    return read_config(config_json, key_path, presence, out, error,
                       [&](const Json *value, const std::string &path, bool use_default) {
                           const bool read =
                               use_default ? default_value != 0 : detail::require_found<bool>(value, path);
                           *out = read ? 1 : 0;
                       });
}

} // namespace

const tune_host_t *host_services() {
    static const tune_host_t host{sizeof(tune_host_t), nullptr,         "tune",          TUNE_VERSION,
                                  &log_from_plugin,    &config_number,  &config_integer, &config_string,
                                  &config_bool};
    return &host;
}

} // namespace tune::core
