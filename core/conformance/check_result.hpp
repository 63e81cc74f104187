// What one conformance check found: passed or failed, and why.
#pragma once

#include <string>

namespace tune::conformance {

struct CheckResult {
    std::string plugin_id; // empty for the library-wide checks (load, abi_version, descriptors)
    std::string check;     // e.g. "trainable.save_restore"
    bool passed = false;
    std::string message;   // a short note on success, the reason on failure
    std::string output;    // the last lines the check's child process wrote (failures only)
    double seconds = 0;
};

// Thrown by a check body to fail the check with a reason.
struct CheckFailure {
    std::string message;
};

} // namespace tune::conformance
