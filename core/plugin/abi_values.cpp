#include "core/plugin/abi_values.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace tune::core {

AbiValueSet::AbiValueSet(const char *what, std::vector<AbiValue> values) : what_(what), values_(std::move(values)) {}

bool AbiValueSet::contains(std::int32_t value) const {
    return std::any_of(values_.begin(), values_.end(), [&](const AbiValue &v) { return v.value == value; });
}

std::string AbiValueSet::label(std::int32_t value) const {
    for (const auto &v : values_)
        if (v.value == value) return v.label;
    return fmt::format("unknown {}", what_);
}

std::string AbiValueSet::unexpected(std::int32_t value) const {
    std::string constants;
    for (const auto &v : values_) constants += fmt::format("{}{}", constants.empty() ? "" : ", ", v.constant);
    return fmt::format("{} {}, expected {}..{} ({})", what_, value, values_.front().value, values_.back().value,
                       constants);
}

std::string AbiValueSet::describe(std::int32_t value) const {
    return contains(value) ? label(value) : unexpected(value);
}

// One value and its constant's name, written once.
#define TUNE_ABI_VALUE(constant, label) AbiValue{constant, #constant, label}

const AbiValueSet &statuses() {
    static const AbiValueSet set("status", {TUNE_ABI_VALUE(TUNE_OK, "ok"),
                                            TUNE_ABI_VALUE(TUNE_ERROR_INVALID_ARGUMENT, "invalid argument"),
                                            TUNE_ABI_VALUE(TUNE_ERROR_INVALID_CONFIG, "invalid config"),
                                            TUNE_ABI_VALUE(TUNE_ERROR_NOT_SUPPORTED, "not supported"),
                                            TUNE_ABI_VALUE(TUNE_ERROR_IO, "I/O error"),
                                            TUNE_ABI_VALUE(TUNE_ERROR_STATE, "wrong state"),
                                            TUNE_ABI_VALUE(TUNE_ERROR_INTERNAL, "internal error")});
    return set;
}

const AbiValueSet &plugin_kinds() {
    static const AbiValueSet set("kind", {TUNE_ABI_VALUE(TUNE_KIND_TRAINABLE, "trainable"),
                                          TUNE_ABI_VALUE(TUNE_KIND_SEARCHER, "searcher"),
                                          TUNE_ABI_VALUE(TUNE_KIND_SCHEDULER, "scheduler")});
    return set;
}

const AbiValueSet &decisions() {
    static const AbiValueSet set("decision", {TUNE_ABI_VALUE(TUNE_DECISION_CONTINUE, "continue"),
                                              TUNE_ABI_VALUE(TUNE_DECISION_PAUSE, "pause"),
                                              TUNE_ABI_VALUE(TUNE_DECISION_STOP, "stop")});
    return set;
}

const AbiValueSet &suggest_outcomes() {
    static const AbiValueSet set("outcome", {TUNE_ABI_VALUE(TUNE_SUGGEST_CONFIG, "config"),
                                             TUNE_ABI_VALUE(TUNE_SUGGEST_NOT_READY, "not ready"),
                                             TUNE_ABI_VALUE(TUNE_SUGGEST_FINISHED, "finished")});
    return set;
}

#undef TUNE_ABI_VALUE

std::string status_name(tune_status_t status) { return statuses().label(status); }

std::string kind_name(tune_plugin_kind_t kind) { return plugin_kinds().label(kind); }

std::optional<std::string> undersized(const char *struct_name, std::uint32_t struct_size, std::size_t size_1_0) {
    if (struct_size >= size_1_0) return std::nullopt;
    return fmt::format("{} struct_size is {} bytes, smaller than its {} bytes in ABI 1.0", struct_name, struct_size,
                       size_1_0);
}

} // namespace tune::core
