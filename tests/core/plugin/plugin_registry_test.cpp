// The registry: scanning the search path, resolving ids, and the id errors.
#include <catch2/catch.hpp>

#include "core/plugin/host_services.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "support/test_paths.hpp"

using tune::core::PluginError;
using tune::core::PluginRegistry;
using Catch::Matchers::Contains;

TEST_CASE("registry: scanning the shipped folder finds the sample plugins", "[registry]") {
    std::vector<std::string> warnings;
    auto registry = PluginRegistry::scan({tune::test::plugin_dir()}, warnings);
    CHECK(warnings.empty());
    std::vector<std::string> ids;
    for (const auto &info : registry.plugins()) ids.push_back(info.id);
    CHECK(std::find(ids.begin(), ids.end(), "org.tune.sample.curve") != ids.end());
    CHECK(std::find(ids.begin(), ids.end(), "org.tune.sample.c_quadratic") != ids.end());
    CHECK(std::is_sorted(ids.begin(), ids.end()));
}

TEST_CASE("registry: a broken library is skipped with a warning, the rest still load", "[registry]") {
    std::vector<std::string> warnings;
    auto broken = tune::test::broken_plugin_dir();
    auto registry = PluginRegistry::scan(
        {broken / "wrong_abi.so", broken / "not_a_library.so", tune::test::plugin_dir()}, warnings);
    REQUIRE(warnings.size() == 2);
    CHECK_THAT(warnings[0], Contains("wrong_abi.so"));
    CHECK_THAT(warnings[1], Contains("not_a_library.so"));
    CHECK(registry.resolve("org.tune.sample.curve").id == "org.tune.sample.curve");
}

TEST_CASE("registry: duplicate plugin ids name both files", "[registry]") {
    std::vector<std::string> warnings;
    auto broken = tune::test::broken_plugin_dir();
    try {
        PluginRegistry::scan({broken / "duplicate_a.so", broken / "duplicate_b.so"}, warnings);
        FAIL("scan should have thrown");
    } catch (const PluginError &e) {
        CHECK_THAT(e.what(), Contains("duplicate plugin id 'org.tune.test.duplicate'") &&
                                 Contains("duplicate_a.so") && Contains("duplicate_b.so"));
    }
}

TEST_CASE("registry: the same file reached twice is loaded once", "[registry]") {
    std::vector<std::string> warnings;
    auto file = tune::test::plugin_dir() / "tune_sample_curve.so";
    auto registry = PluginRegistry::scan({file, tune::test::plugin_dir(), file}, warnings);
    CHECK(warnings.empty());
    CHECK(registry.resolve("org.tune.sample.curve").file.filename() == "tune_sample_curve.so");
}

TEST_CASE("registry: an unknown id lists the known ones", "[registry]") {
    std::vector<std::string> warnings;
    auto registry = PluginRegistry::scan({tune::test::plugin_dir()}, warnings);
    try {
        registry.resolve("org.example.missing");
        FAIL("resolve should have thrown");
    } catch (const PluginError &e) {
        CHECK_THAT(e.what(), Contains("unknown plugin id 'org.example.missing'") &&
                                 Contains("org.tune.sample.curve") && Contains("org.tune.sample.c_quadratic") &&
                                 Contains(tune::test::plugin_dir().string()));
    }
}

TEST_CASE("registry: a unique short name resolves, a kind filter applies", "[registry]") {
    std::vector<std::string> warnings;
    auto registry = PluginRegistry::scan({tune::test::plugin_dir()}, warnings);
    CHECK(registry.resolve("curve").id == "org.tune.sample.curve");
    CHECK(registry.resolve("c_quadratic", TUNE_KIND_TRAINABLE).id == "org.tune.sample.c_quadratic");
    CHECK_THROWS_WITH(registry.resolve("curve", TUNE_KIND_SCHEDULER),
                      Contains("unknown scheduler plugin id 'curve'"));
}
