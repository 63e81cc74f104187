#include "core/plugin/host_services.hpp"

#include <spdlog/spdlog.h>

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

} // namespace

const tune_host_t *host_services() {
    static const tune_host_t host{sizeof(tune_host_t), nullptr, "tune", TUNE_VERSION, &log_from_plugin};
    return &host;
}

} // namespace tune::core
