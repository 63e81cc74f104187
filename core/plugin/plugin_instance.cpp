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
    throw PluginCallError(status, fmt::format("plugin '{}' ({}): {} failed [{}]: {}", info_.id,
                                              info_.file.filename().string(), what, status_name(status),
                                              error_text(error)));
}

} // namespace tune::core
