// The conformance checks: their names, what they test, and which plugin kinds they apply to.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/conformance/check_subject.hpp"

namespace tune::conformance {

// What a passing check reports: a short note, and data for the runner (the descriptors
// check lists the library's plugins there).
struct CheckNote {
    std::string message;
    nlohmann::json data = nlohmann::json::object();
};

// A check body runs in a child process; it throws CheckFailure to fail.
using CheckBody = std::function<CheckNote(const CheckSubject &)>;

struct CheckDefinition {
    std::string name;    // "load", "create_destroy", "trainable.save_restore", ...
    std::string summary; // one line, for --list and the docs
    CheckBody body;
};

// The checks of a library file as a whole, in order: load, abi_version, descriptors.
const std::vector<CheckDefinition> &library_checks();

// The checks of one plugin of this kind, in order: those of every kind, then the kind's own.
std::vector<CheckDefinition> plugin_checks(tune_plugin_kind_t kind);

} // namespace tune::conformance
