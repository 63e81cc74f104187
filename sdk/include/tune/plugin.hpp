// C++ helpers for tune plugins. A plugin author writes one class per plugin, derived from
// tune::Trainable, tune::Searcher or tune::Scheduler, with three static members:
//
//     static constexpr const char *id = "org.example.my_trainable";  // reverse-domain
//     static constexpr const char *version = "1.0.0";
//     static constexpr const char *description = "One line.";
//
// and, optionally, a config that setup accepts as it is (ABI 1.6; `tune check-plugin` uses it
// when no --config is given, `tune plugins --example ID` prints it):
//
//     static constexpr const char *example_config = R"({"lr": 0.1})";
//
// and one export macro per library, listing every plugin class:
//
//     TUNE_PLUGIN_LIBRARY(MyTrainable, MySearcher)
//
// The macro defines the library's only exported symbol. Exceptions thrown by plugin code are
// caught at the boundary and returned as a status with the exception's message.
#pragma once

#include <new>
#include <string>
#include <type_traits>

#include "tune/sdk/common.hpp"
#include "tune/sdk/json_numbers.hpp"
#include "tune/sdk/options.hpp"
#include "tune/sdk/scheduler.hpp"
#include "tune/sdk/searcher.hpp"
#include "tune/sdk/trainable.hpp"

namespace tune::detail {

template <class P>
using thunks_for_t = std::conditional_t<
    std::is_base_of_v<Trainable, P>, TrainableThunks<P>,
    std::conditional_t<std::is_base_of_v<Searcher, P>, SearcherThunks<P>, SchedulerThunks<P>>>;

// P::example_config where the class declares one, else NULL.
template <class P, class = void> struct ExampleConfigOf {
    static constexpr const char *value = nullptr;
};
template <class P> struct ExampleConfigOf<P, std::void_t<decltype(P::example_config)>> {
    static constexpr const char *value = P::example_config;
};

template <class P> inline const tune_plugin_descriptor_t descriptor_of{
    sizeof(tune_plugin_descriptor_t), P::id, P::kind, P::version, P::description, ExampleConfigOf<P>::value};

template <class P> struct Lifecycle {
    static_assert(std::is_base_of_v<Trainable, P> || std::is_base_of_v<Searcher, P> ||
                      std::is_base_of_v<Scheduler, P>,
                  "a plugin class must derive from tune::Trainable, tune::Searcher or tune::Scheduler");

    static void destroy(tune_plugin_t *plugin) {
        if (plugin) delete static_cast<Instance<P> *>(plugin->plugin_data);
    }
    static const void *get_interface(const tune_plugin_t *plugin, const char *interface_id) {
        if (!plugin || !interface_id) return nullptr;
        return thunks_for_t<P>::get_interface(interface_id);
    }
    static tune_status_t create(const tune_host_t *host, tune_plugin_t **out, tune_error_t *error) {
        return guard(error, [&] {
            auto *instance = new Instance<P>{};
            instance->c.struct_size = sizeof(tune_plugin_t);
            instance->c.descriptor = &descriptor_of<P>;
            instance->c.plugin_data = instance;
            instance->c.destroy = &destroy;
            instance->c.get_interface = &get_interface;
            instance->object.attach_host(host);
            *out = &instance->c;
        });
    }
};

template <class... Ps> struct Library {
    static_assert(sizeof...(Ps) > 0, "TUNE_PLUGIN_LIBRARY needs at least one plugin class");

    static uint32_t count() { return sizeof...(Ps); }

    static const tune_plugin_descriptor_t *descriptor(uint32_t index) {
        static const tune_plugin_descriptor_t *const all[] = {&descriptor_of<Ps>...};
        return index < sizeof...(Ps) ? all[index] : nullptr;
    }

    static tune_status_t create(const tune_host_t *host, const char *plugin_id, tune_plugin_t **out,
                                tune_error_t *error) {
        if (!out) {
            write_error(error, "out is NULL");
            return TUNE_ERROR_INVALID_ARGUMENT;
        }
        *out = nullptr;
        if (!plugin_id) {
            write_error(error, "plugin_id is NULL");
            return TUNE_ERROR_INVALID_ARGUMENT;
        }
        tune_status_t status = TUNE_ERROR_INVALID_ARGUMENT;
        bool found = ((std::strcmp(plugin_id, Ps::id) == 0 &&
                       (status = Lifecycle<Ps>::create(host, out, error), true)) || ...);
        if (!found) {
            std::string known;
            ((known += (known.empty() ? "" : ", ") + std::string(Ps::id)), ...);
            write_error(error, ("this library has no plugin '" + std::string(plugin_id) +
                                "'; it has: " + known).c_str());
        }
        return status;
    }
};

} // namespace tune::detail

#define TUNE_PLUGIN_LIBRARY(...)                                                                   \
    extern "C" TUNE_EXPORT const tune_plugin_entry_t tune_plugin_entry = {                        \
        TUNE_ABI_VERSION_INIT,                                                                     \
        sizeof(tune_plugin_entry_t),                                                               \
        nullptr,                                                                                   \
        nullptr,                                                                                   \
        &::tune::detail::Library<__VA_ARGS__>::count,                                              \
        &::tune::detail::Library<__VA_ARGS__>::descriptor,                                         \
        &::tune::detail::Library<__VA_ARGS__>::create,                                             \
    }
