#include "core/plugin/plugin_instance.hpp"

#include <cstring>

#include <fmt/format.h>

#include "core/plugin/plugin_error.hpp"

namespace tune::core {

PluginInstance::PluginInstance(std::shared_ptr<PluginLibrary> library, tune_plugin_t *raw, PluginInfo info)
    : library_(std::move(library)), raw_(raw), info_(std::move(info)) {}

PluginInstance::~PluginInstance() {
    if (raw_) raw_->destroy(raw_);
}

const void *PluginInstance::find_interface(const char *interface_id) const {
    return raw_->get_interface(raw_, interface_id);
}

const void *PluginInstance::require_interface_untyped(const char *interface_id) const {
    const void *table = find_interface(interface_id);
    if (!table)
        throw PluginError(fmt::format("plugin '{}' ({}) does not implement interface '{}'", info_.id,
                                      info_.file.string(), interface_id));
    return table;
}

std::string error_text(const tune_error_t &error) {
    // A buggy plugin may leave the buffer unterminated: never read past it.
    std::string text(error.message, strnlen(error.message, sizeof error.message));
    return text.empty() ? "(no message)" : text;
}

void PluginInstance::check(tune_status_t status, const tune_error_t &error, const char *what) const {
    if (status == TUNE_OK) return;
    // An unknown status still means failure, reported as internal so that callers see a known one.
    throw PluginCallError(statuses().contains(status) ? status : TUNE_ERROR_INTERNAL,
                          fmt::format("plugin '{}' ({}): {} failed [{}]: {}", info_.id, info_.file.filename().string(),
                                      what, statuses().describe(status), error_text(error)));
}

std::int32_t PluginInstance::check_value(const AbiValueSet &values, std::int32_t value, const char *call) const {
    if (values.contains(value)) return value;
    const std::string returned = value == kUnsetValue ? fmt::format("OK without setting the {}", values.what())
                                                      : values.unexpected(value);
    throw PluginCallError(TUNE_ERROR_INTERNAL, fmt::format("plugin '{}' ({}): {} returned {}", info_.id,
                                                           info_.file.filename().string(), call, returned));
}

} // namespace tune::core
