// The tune_host_t that the host hands to every plugin instance.
#pragma once

#include "tune/types.h"

namespace tune::core {

// A process-wide host table whose log() forwards to spdlog. Lives for the whole process;
// log is thread-safe.
const tune_host_t *host_services();

} // namespace tune::core
