// This host and a plugin built against the frozen ABI 1.0 headers (tests/abi_compat/abi_1_0).
#include <catch2/catch.hpp>

#include "abi_compat/abi_1_0_checks.hpp"
#include "abi_compat/abi_1_0_sizes.h"
#include "core/plugin/host_services.hpp"

TEST_CASE("abi: the 1.0 sizes in tune/entry.h are the 1.0 headers' struct sizes", "[abi]") {
    CHECK(TUNE_PLUGIN_ENTRY_SIZE_1_0 == abi_1_0_sizes.entry);
    CHECK(TUNE_PLUGIN_DESCRIPTOR_SIZE_1_0 == abi_1_0_sizes.descriptor);
    CHECK(TUNE_PLUGIN_SIZE_1_0 == abi_1_0_sizes.plugin);
    CHECK(TUNE_HOST_SIZE_1_0 == abi_1_0_sizes.host);
    CHECK(TUNE_TRIAL_CONTEXT_SIZE_1_0 == abi_1_0_sizes.trial_context);
    // 1.5's config reads are appended after every 1.0 field of the host struct.
    CHECK(offsetof(tune_host_t, config_number) == TUNE_HOST_SIZE_1_0);
}

// The plugin's structs are 1.0's, as a 1.4 plugin's are (1.5 grew only the host's), and this
// host's larger tune_host_t keeps log where the plugin reads it.
TEST_CASE("abi: this host loads a plugin built against the 1.0 headers and runs a trial", "[abi]") {
    tune::test::run_abi_1_0_trainable(tune::core::host_services());
}

TEST_CASE("abi: a struct_size below 1.0's is refused naming the file, the struct and both sizes", "[abi]") {
    tune::test::check_undersized_structs_refused();
}
