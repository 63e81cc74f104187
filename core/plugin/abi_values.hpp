// The integers a plugin hands the host (statuses, kinds, decisions, suggest outcomes and
// struct sizes) and which of them the host accepts. The ABI passes them as plain integers,
// so a plugin may write any value; the host checks each against these before using it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tune/tune.h"

namespace tune::core {

// One named value of an ABI value set.
struct AbiValue {
    std::int32_t value;
    const char *constant; // "TUNE_DECISION_STOP"
    const char *label;    // "stop", as messages and reports show it
};

// The known values of one ABI integer type, consecutive from the first.
class AbiValueSet {
public:
    AbiValueSet(const char *what, std::vector<AbiValue> values);

    bool contains(std::int32_t value) const;
    // The value's label, or "unknown <what>".
    std::string label(std::int32_t value) const;
    // "decision 7, expected 0..2 (TUNE_DECISION_CONTINUE, TUNE_DECISION_PAUSE, TUNE_DECISION_STOP)"
    std::string unexpected(std::int32_t value) const;
    // The label of a known value, else unexpected(value).
    std::string describe(std::int32_t value) const;
    const char *what() const { return what_; }

private:
    const char *what_; // "decision", as it reads in a message
    std::vector<AbiValue> values_;
};

const AbiValueSet &statuses();         // tune_status_t
const AbiValueSet &plugin_kinds();     // tune_plugin_kind_t
const AbiValueSet &decisions();        // tune_decision_t
const AbiValueSet &suggest_outcomes(); // tune_suggest_outcome_t

// Name of a status code, as shown in messages ("invalid config"; "unknown status").
std::string status_name(tune_status_t status);

// Name of a plugin kind ("trainable", "searcher", "scheduler"; "unknown kind").
std::string kind_name(tune_plugin_kind_t kind);

// Empty if struct_size, as a plugin wrote it into a struct_name, holds every ABI 1.0 field
// (size_1_0 is one of the TUNE_*_SIZE_1_0 of tune/entry.h); otherwise why not:
// "tune_plugin_entry_t struct_size is 40 bytes, smaller than its 56 bytes in ABI 1.0".
std::optional<std::string> undersized(const char *struct_name, std::uint32_t struct_size, std::size_t size_1_0);

} // namespace tune::core
