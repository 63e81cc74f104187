#include "core/conformance/plugin_probe.hpp"

#include <cstring>

#include <fmt/format.h>

#include "core/plugin/host_services.hpp"
#include "core/plugin/plugin_error.hpp"
#include "tune/scheduler.h"
#include "tune/searcher.h"
#include "tune/trainable.h"

namespace tune::conformance {

RawCall make_call(tune_status_t status, const tune_error_t &error, std::string output) {
    RawCall call;
    call.status = status;
    std::size_t length = strnlen(error.message, sizeof error.message);
    call.terminated = length < sizeof error.message;
    call.message.assign(error.message, length);
    call.output = std::move(output);
    return call;
}

std::string describe(const RawCall &call) {
    if (call.status == TUNE_OK) return "OK";
    if (!core::statuses().contains(call.status)) return core::statuses().unexpected(call.status);
    return fmt::format("{} ({}): {}", core::status_name(call.status), call.status,
                       call.message.empty() ? "(no message)" : call.message);
}

void expect_error(const RawCall &call, const std::string &what) {
    if (call.status == TUNE_OK)
        throw CheckFailure{fmt::format("{} returned OK; expected an error status with a message", what)};
    expect_safe(call, what);
}

void expect_safe(const RawCall &call, const std::string &what) {
    if (!core::statuses().contains(call.status))
        throw CheckFailure{fmt::format("{} returned {}", what, core::statuses().unexpected(call.status))};
    if (call.status == TUNE_OK) return;
    if (!call.terminated)
        throw CheckFailure{fmt::format("{} returned [{}] with an error message that is not NUL-terminated", what,
                                       core::status_name(call.status))};
    if (call.message.empty())
        throw CheckFailure{fmt::format("{} returned [{}] without an error message; the host would show "
                                       "\"(no message)\"",
                                       what, core::status_name(call.status))};
}

void expect_safe(const RawCall &call, const std::string &what, const core::AbiValueSet &values, std::int32_t value) {
    expect_safe(call, what);
    if (call.status == TUNE_OK && !values.contains(value))
        throw CheckFailure{fmt::format("{} returned {}", what, values.unexpected(value))};
}

const char *interface_id(tune_plugin_kind_t kind) {
    switch (kind) {
    case TUNE_KIND_TRAINABLE: return TUNE_TRAINABLE_INTERFACE;
    case TUNE_KIND_SEARCHER: return TUNE_SEARCHER_INTERFACE;
    case TUNE_KIND_SCHEDULER: return TUNE_SCHEDULER_INTERFACE;
    }
    return "";
}

PluginProbe::PluginProbe(const CheckSubject &subject) : subject_(subject) {
    try {
        library_ = core::PluginLibrary::load(subject.library);
    } catch (const core::PluginError &e) {
        throw CheckFailure{e.what()};
    }
}

std::unique_ptr<core::PluginInstance> PluginProbe::create() const {
    try {
        return library_->create(subject_.plugin_id, core::host_services());
    } catch (const core::PluginError &e) {
        throw CheckFailure{e.what()};
    }
}

const void *PluginProbe::table(const core::PluginInstance &instance) const {
    const void *table = instance.find_interface(interface_id(subject_.kind));
    if (!table)
        throw CheckFailure{fmt::format("get_interface(\"{}\") returned NULL; a {} must offer it",
                                       interface_id(subject_.kind), core::kind_name(subject_.kind))};
    return table;
}

} // namespace tune::conformance
