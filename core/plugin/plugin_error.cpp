#include "core/plugin/plugin_error.hpp"

#include "tune/entry.h"

namespace tune::core {

const char *status_name(tune_status_t status) {
    switch (status) {
    case TUNE_OK: return "ok";
    case TUNE_ERROR_INVALID_ARGUMENT: return "invalid argument";
    case TUNE_ERROR_INVALID_CONFIG: return "invalid config";
    case TUNE_ERROR_NOT_SUPPORTED: return "not supported";
    case TUNE_ERROR_IO: return "I/O error";
    case TUNE_ERROR_STATE: return "wrong state";
    case TUNE_ERROR_INTERNAL: return "internal error";
    }
    return "unknown status";
}

const char *kind_name(int kind) {
    switch (kind) {
    case TUNE_KIND_TRAINABLE: return "trainable";
    case TUNE_KIND_SEARCHER: return "searcher";
    case TUNE_KIND_SCHEDULER: return "scheduler";
    }
    return "unknown";
}

} // namespace tune::core
