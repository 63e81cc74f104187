// The loader: good libraries load, and each kind of bad library fails with a message that
// names the file and what was expected.
#include <catch2/catch.hpp>

#include "core/plugin/host_services.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/plugin/plugin_instance.hpp"
#include "core/plugin/plugin_library.hpp"
#include "support/test_paths.hpp"
#include "tune/trainable.h"

using tune::core::PluginError;
using tune::core::PluginLibrary;
using Catch::Matchers::Contains;

namespace {

std::string load_error(const std::filesystem::path &file) {
    try {
        PluginLibrary::load(file);
    } catch (const PluginError &e) {
        return e.what();
    }
    FAIL("loading " << file << " should have failed");
    return {};
}

// The PluginCallError that creating plugin id from file throws.
tune::core::PluginCallError create_error(const std::filesystem::path &file, const std::string &id) {
    auto library = PluginLibrary::load(file);
    try {
        library->create(id, tune::core::host_services());
    } catch (const tune::core::PluginCallError &e) {
        return e;
    }
    FAIL("creating " << id << " from " << file << " should have failed");
    return {TUNE_OK, {}};
}

} // namespace

TEST_CASE("loader: a C++ plugin library loads and describes itself", "[loader]") {
    auto library = PluginLibrary::load(tune::test::plugin_dir() / "tune_sample_curve.so");
    REQUIRE(library->plugins().size() == 1);
    const auto &info = library->plugins().front();
    CHECK(info.id == "org.tune.sample.curve");
    CHECK(info.kind == TUNE_KIND_TRAINABLE);
    CHECK(info.version == "1.0.0");
    CHECK_FALSE(info.description.empty());
    CHECK(library->abi_version().major == TUNE_ABI_VERSION_MAJOR);
}

TEST_CASE("loader: a missing file is reported with its path", "[loader]") {
    auto missing = tune::test::plugin_dir() / "no_such_plugin.so";
    auto message = load_error(missing);
    CHECK_THAT(message, Contains("plugin file not found") && Contains(missing.string()));
}

TEST_CASE("loader: a file that is not a shared library is reported as such", "[loader]") {
    auto file = tune::test::broken_plugin_dir() / "not_a_library.so";
    auto message = load_error(file);
    CHECK_THAT(message, Contains(file.string()) && Contains("is not a shared library"));
}

TEST_CASE("loader: a shared library without the entry symbol is not a tune plugin", "[loader]") {
    auto file = tune::test::broken_plugin_dir() / "no_entry.so";
    auto message = load_error(file);
    CHECK_THAT(message, Contains(file.string()) && Contains("tune_plugin_entry") && Contains("not a tune plugin"));
}

TEST_CASE("loader: an ABI major-version mismatch names the file and both versions", "[loader]") {
    auto file = tune::test::broken_plugin_dir() / "wrong_abi.so";
    auto message = load_error(file);
    CHECK_THAT(message, Contains(file.string()) && Contains("ABI 999.3") &&
                            Contains("ABI " + std::to_string(TUNE_ABI_VERSION_MAJOR) + "." +
                                     std::to_string(TUNE_ABI_VERSION_MINOR)) &&
                            Contains("major versions must match"));
}

TEST_CASE("loader: a throwing plugin constructor becomes an error with its message", "[loader]") {
    auto e = create_error(tune::test::broken_plugin_dir() / "throwing_constructor.so",
                          "org.tune.test.throwing_constructor");
    CHECK(e.status() == TUNE_ERROR_INTERNAL);
    CHECK_THAT(e.what(), Contains("org.tune.test.throwing_constructor") && Contains("create failed") &&
                             Contains("constructor exploded on purpose"));
}

TEST_CASE("loader: creating an id the library does not have is an error", "[loader]") {
    auto library = PluginLibrary::load(tune::test::plugin_dir() / "tune_sample_curve.so");
    CHECK_THROWS_WITH(library->create("org.tune.sample.nope", tune::core::host_services()),
                      Contains("has no plugin 'org.tune.sample.nope'"));
}

TEST_CASE("loader: the library stays loaded while an instance lives", "[loader]") {
    std::unique_ptr<tune::core::PluginInstance> instance;
    std::weak_ptr<PluginLibrary> weak;
    {
        auto library = PluginLibrary::load(tune::test::plugin_dir() / "tune_sample_curve.so");
        weak = library;
        instance = library->create("org.tune.sample.curve", tune::core::host_services());
    }
    // Our handle is gone; the instance's keeps the library (and its code) alive.
    CHECK_FALSE(weak.expired());
    CHECK(instance->find_interface(TUNE_TRAINABLE_INTERFACE) != nullptr);
    CHECK(instance->find_interface("tune.trainable/999") == nullptr);
    instance.reset();
    CHECK(weak.expired());
}

TEST_CASE("loader: a descriptor whose kind is no TUNE_KIND_* names the file, the call and the value", "[loader]") {
    auto file = tune::test::broken_plugin_dir() / "unknown_kind.so";
    CHECK_THAT(load_error(file),
               Contains(file.string()) &&
                   Contains("plugin_descriptor(0) returned plugin 'org.tune.test.malformed' with kind 7, expected 1..3 "
                            "(TUNE_KIND_TRAINABLE, TUNE_KIND_SEARCHER, TUNE_KIND_SCHEDULER)"));
}

TEST_CASE("loader: create returning a status that is no tune_status_t names the plugin, the call and the value",
          "[loader]") {
    auto e = create_error(tune::test::broken_plugin_dir() / "unknown_status.so", "org.tune.test.malformed");
    // Still a failure, reported with a status the rest of the host knows.
    CHECK(e.status() == TUNE_ERROR_INTERNAL);
    CHECK_THAT(e.what(), Contains("plugin 'org.tune.test.malformed'") &&
                             Contains("create failed [status 42, expected 0..6 (TUNE_OK, TUNE_ERROR_INVALID_ARGUMENT, "
                                      "TUNE_ERROR_INVALID_CONFIG, TUNE_ERROR_NOT_SUPPORTED, TUNE_ERROR_IO, "
                                      "TUNE_ERROR_STATE, TUNE_ERROR_INTERNAL)]") &&
                             Contains("status 42 on purpose"));
}
