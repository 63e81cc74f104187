// What every host must do with a plugin built against the ABI 1.0 headers: load it, run it,
// and refuse a struct_size below 1.0's. Included by the test of this host and by the test of
// a host whose structs grew past 1.0, so each compiles these checks against its own headers.
#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

#include "core/plugin/plugin_error.hpp"
#include "core/plugin/plugin_library.hpp"
#include "core/plugin/trainable_adapter.hpp"
#include "support/test_paths.hpp"

namespace tune::test {

inline const char *kAbi10PluginId = "org.tune.test.abi_1_0";

// Loads the 1.0 plugin, creates it with host, and runs a trial through the adapter: its
// results echo what it read of the trial context and the host, which were sizeof this host's.
inline void run_abi_1_0_trainable(const tune_host_t *host) {
    using nlohmann::json;
    auto library = core::PluginLibrary::load(TUNE_TEST_ABI_1_0_PLUGIN);
    REQUIRE(library->plugins().size() == 1);
    CHECK(library->plugins().front().id == kAbi10PluginId);
    CHECK(library->plugins().front().kind == TUNE_KIND_TRAINABLE);
    // Its descriptor ends before 1.6's example_config: the host reads no field past its size.
    CHECK(library->plugins().front().example_config.empty());
    CHECK(library->abi_version().major == 1);
    CHECK(library->abi_version().minor == 0);

    TempDir dir;
    core::TrainableAdapter trainable(library->create(kAbi10PluginId, host));
    trainable.setup("{}", {"00003", dir.path().string(), 2, 0.0, 99});
    json first = json::parse(trainable.step());
    CHECK(first["trial"] == "00003");
    CHECK(first["num_cpus"] == 2);
    CHECK(first["seed"] == 99);
    CHECK(first["context_struct_size"] == sizeof(tune_trial_context_t));
    CHECK(first["host_struct_size"] == sizeof(tune_host_t));
    CHECK(first["loss"] == 1.0);

    trainable.save(dir.path().string());
    CHECK(json::parse(trainable.step())["loss"] == 0.5);
    trainable.restore(dir.path().string());
    CHECK(json::parse(trainable.step())["loss"] == 0.5);
    CHECK_FALSE(trainable.reset("{}", {"00004", dir.path().string(), 1, 0.0, 1}));
}

// Each struct a plugin writes with a struct_size one pointer short of its 1.0 size is
// refused, the message naming the file, the struct and both sizes.
inline void check_undersized_structs_refused() {
    struct Case {
        const char *file;
        const char *struct_name;
        std::size_t size_1_0;
    };
    const Case cases[] = {{"undersized_entry.so", "tune_plugin_entry_t", TUNE_PLUGIN_ENTRY_SIZE_1_0},
                          {"undersized_descriptor.so", "tune_plugin_descriptor_t", TUNE_PLUGIN_DESCRIPTOR_SIZE_1_0},
                          {"undersized_instance.so", "tune_plugin_t", TUNE_PLUGIN_SIZE_1_0}};
    for (const Case &c : cases) {
        const auto file = broken_plugin_dir() / c.file;
        const std::string expected = std::string(c.struct_name) + " struct_size is " +
                                     std::to_string(c.size_1_0 - sizeof(void *)) + " bytes, smaller than its " +
                                     std::to_string(c.size_1_0) + " bytes in ABI 1.0";
        INFO(c.file);
        try {
            core::PluginLibrary::load(file)->create("org.tune.test.malformed", nullptr);
            FAIL("the host accepted " << c.struct_name << " below its 1.0 size");
        } catch (const core::PluginError &e) {
            CHECK_THAT(e.what(), Catch::Matchers::Contains(file.string()) && Catch::Matchers::Contains(expected));
        }
    }
}

} // namespace tune::test
