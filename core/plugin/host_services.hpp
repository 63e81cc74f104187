// The tune_host_t that the host hands to every plugin instance: logging, and (ABI 1.5) typed
// reads of a config for plugins written in C.
#pragma once

#include "tune/types.h"

namespace tune::core {

// A process-wide host table: log() forwards to spdlog; config_number, config_integer,
// config_string and config_bool read a config value by key path with the C++ SDK's
// tune::require/get_or messages. Lives for the whole process; every function is thread-safe.
const tune_host_t *host_services();

} // namespace tune::core
