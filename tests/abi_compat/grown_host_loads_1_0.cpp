// A host whose structs have grown past ABI 1.0 still loads and runs a plugin built against the
// 1.0 headers, and still refuses a struct_size below 1.0's. This file and the host code under
// it (tune_grown_host) are compiled against tests/abi_compat's grown headers: today's, with a
// field appended to each struct that carries struct_size.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "abi_compat/abi_1_0_checks.hpp"

static_assert(sizeof(tune_plugin_entry_t) > TUNE_PLUGIN_ENTRY_SIZE_1_0, "built against the grown headers");
static_assert(sizeof(tune_plugin_descriptor_t) > TUNE_PLUGIN_DESCRIPTOR_SIZE_1_0, "built against the grown headers");
static_assert(sizeof(tune_plugin_t) > TUNE_PLUGIN_SIZE_1_0, "built against the grown headers");
static_assert(sizeof(tune_host_t) > TUNE_HOST_SIZE_1_0, "built against the grown headers");
static_assert(sizeof(tune_trial_context_t) > TUNE_TRIAL_CONTEXT_SIZE_1_0, "built against the grown headers");

namespace {

std::vector<std::string> logged;

void log_to_test(const tune_host_t *, tune_log_level_t, const char *message) { logged.push_back(message); }

// The grown tune_host_t, its appended field set as a newer host would. Set by name, so that
// the fields of later minor versions (1.5's config reads) stay NULL: the 1.0 plugin never calls them.
tune_host_t make_grown_host() {
    tune_host_t host{};
    host.struct_size = sizeof(tune_host_t);
    host.name = "grown";
    host.version = "1.1.0";
    host.log = &log_to_test;
    host.appended_after_1_0 = 1;
    return host;
}
const tune_host_t grown_host = make_grown_host();

} // namespace

TEST_CASE("abi: a host whose structs grew past 1.0 loads a 1.0 plugin and runs a trial", "[abi]") {
    logged.clear();
    tune::test::run_abi_1_0_trainable(&grown_host);
    // The plugin found log at its 1.0 offset in the larger host struct.
    CHECK(logged == std::vector<std::string>{"1.0 plugin set up trial 00003"});
}

TEST_CASE("abi: a host whose structs grew past 1.0 still refuses a struct_size below 1.0's", "[abi]") {
    tune::test::check_undersized_structs_refused();
}
