// Direct calls into a plugin under test, keeping the raw status and error message that the
// host's adapters would turn into exceptions, so that checks can judge them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/conformance/check_result.hpp"
#include "core/conformance/check_subject.hpp"
#include "core/plugin/abi_values.hpp"
#include "core/plugin/plugin_instance.hpp"
#include "core/plugin/plugin_library.hpp"

namespace tune::conformance {

// One ABI call's outcome.
struct RawCall {
    tune_status_t status = TUNE_OK;
    std::string message;    // the error message (empty when none was written)
    bool terminated = true; // the message had a NUL within the buffer
    std::string output;     // what the call appended to its output sink, if it has one
};

// "OK", "invalid config (2): config key 'x' must be a number", ...
std::string describe(const RawCall &call);

// Fails the check unless call returned a known error status with a NUL-terminated message.
// what names the call, e.g. "setup with config `{`".
void expect_error(const RawCall &call, const std::string &what);

// Fails the check unless call returned a known status and, if not OK, a message.
void expect_safe(const RawCall &call, const std::string &what);

// expect_safe, and when call returned OK, its out-parameter value (a decision, a suggest
// outcome) must be one that values knows; the failure names the value and the known ones.
void expect_safe(const RawCall &call, const std::string &what, const core::AbiValueSet &values, std::int32_t value);

// Loads the subject's library and creates instances of its plugin. Any failure is a
// CheckFailure with the host's message.
class PluginProbe {
public:
    explicit PluginProbe(const CheckSubject &subject);
    std::unique_ptr<core::PluginInstance> create() const;
    // The interface table of the subject's kind; fails the check if the instance lacks it.
    const void *table(const core::PluginInstance &instance) const;
    const CheckSubject &subject() const { return subject_; }

private:
    const CheckSubject &subject_;
    std::shared_ptr<core::PluginLibrary> library_;
};

// The interface id of a kind ("tune.trainable/1").
const char *interface_id(tune_plugin_kind_t kind);

// A RawCall filled from a status, an error buffer and an output text.
RawCall make_call(tune_status_t status, const tune_error_t &error, std::string output = {});

} // namespace tune::conformance
