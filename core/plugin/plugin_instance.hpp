// A live plugin instance: owns the C instance and keeps its library loaded.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/plugin/abi_values.hpp"
#include "core/plugin/plugin_library.hpp"
#include "tune/types.h"

namespace tune::core {

class PluginInstance {
public:
    PluginInstance(std::shared_ptr<PluginLibrary> library, tune_plugin_t *raw, PluginInfo info);
    ~PluginInstance();
    PluginInstance(const PluginInstance &) = delete;
    PluginInstance &operator=(const PluginInstance &) = delete;

    const PluginInfo &info() const { return info_; }
    tune_plugin_t *raw() const { return raw_; }

    // The interface table for id, or nullptr if the plugin does not offer it.
    const void *find_interface(const char *interface_id) const;

    // Like find_interface, but throws PluginError naming the plugin if it is missing.
    template <class Table> const Table &require_interface(const char *interface_id) const {
        return *static_cast<const Table *>(require_interface_untyped(interface_id));
    }

    // Throws PluginCallError "plugin 'id' (file): what failed [status]: message" unless ok;
    // an unknown status is named with its value and the known ones.
    void check(tune_status_t status, const tune_error_t &error, const char *what) const;

    // Returns value if values knows it. Otherwise throws PluginCallError "plugin 'id' (file):
    // call returned decision 7, expected 0..2 (TUNE_DECISION_CONTINUE, ...)", or "... returned
    // OK without setting the decision" if value is still kUnsetValue.
    std::int32_t check_value(const AbiValueSet &values, std::int32_t value, const char *call) const;

private:
    const void *require_interface_untyped(const char *interface_id) const;

    std::shared_ptr<PluginLibrary> library_; // declared first: released after raw_ is destroyed
    tune_plugin_t *raw_;
    PluginInfo info_;
};

// What an adapter stores in an out-parameter before the call, to tell a value the plugin never
// set from one it set wrong.
inline constexpr std::int32_t kUnsetValue = INT32_MIN;

// Collects what a plugin writes through a tune_text_out_t.
class TextSink {
public:
    TextSink() : out_{this, &TextSink::append} {}
    TextSink(const TextSink &) = delete;
    TextSink &operator=(const TextSink &) = delete;
    const tune_text_out_t *out() const { return &out_; }
    const std::string &text() const { return text_; }
    std::string take() { return std::move(text_); }

private:
    static void append(void *ctx, const char *data, size_t size) {
        if (data && size) static_cast<TextSink *>(ctx)->text_.append(data, size);
    }
    tune_text_out_t out_;
    std::string text_;
};

// The message of a tune_error_t, bounded by its capacity; "(no message)" if empty.
std::string error_text(const tune_error_t &error);

// A tune_error_t that starts empty.
inline tune_error_t empty_error() {
    tune_error_t error;
    error.message[0] = '\0';
    return error;
}

} // namespace tune::core
