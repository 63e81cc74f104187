// Errors raised by the plugin host.
#pragma once

#include <stdexcept>
#include <string>

#include "tune/types.h"

namespace tune::core {

// A plugin library could not be found, loaded or trusted, or a plugin id is wrong.
// The message names the file or id and what was expected.
class PluginError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A call into a loaded plugin returned an error status.
class PluginCallError : public PluginError {
public:
    PluginCallError(tune_status_t status, const std::string &message)
        : PluginError(message), status_(status) {}
    tune_status_t status() const noexcept { return status_; }

private:
    tune_status_t status_;
};

} // namespace tune::core
