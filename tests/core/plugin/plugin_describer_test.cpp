// Describing plugin libraries outside the host: tune-worker --describe, its failures, the
// descriptor cache, and the registry loading a library only at its first create.
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/plugin/descriptor_cache.hpp"
#include "core/plugin/host_services.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/plugin/plugin_instance.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "core/plugin/worker_describer.hpp"
#include "support/test_paths.hpp"

using tune::core::CachingDescriber;
using tune::core::DescriptorCache;
using tune::core::LibraryDescriber;
using tune::core::LibraryDescription;
using tune::core::PluginError;
using tune::core::PluginRegistry;
using tune::core::WorkerDescriber;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

fs::path worker_exe() { return tune::test::binary_dir() / "bin" / "tune-worker"; }

WorkerDescriber worker_describer(double timeout_s = tune::core::kDescribeTimeoutS) {
    return WorkerDescriber(worker_exe(), timeout_s);
}

fs::path write_script(const tune::test::TempDir &dir, const std::string &name, const std::string &body) {
    const fs::path file = dir.path() / name;
    std::ofstream(file) << "#!/bin/sh\n" << body << "\n";
    fs::permissions(file, fs::perms::owner_all);
    return file;
}

bool contains_file(const std::vector<fs::path> &files, const std::string &name) {
    for (const auto &file : files)
        if (file.filename() == name) return true;
    return false;
}

// A copy of the curve plugin in dir, so a test may change it.
fs::path copy_of_curve(const tune::test::TempDir &dir) {
    const fs::path copy = dir.path() / "curve_copy.so";
    fs::copy_file(tune::test::plugin_dir() / "tune_sample_curve.so", copy);
    return copy;
}

} // namespace

TEST_CASE("describe: tune-worker --describe reads a library's descriptors in a child", "[describe]") {
    auto describer = worker_describer();
    auto file = tune::test::plugin_dir() / "tune_sample_curve.so";
    LibraryDescription description = describer.describe(file);
    REQUIRE(description.ok());
    CHECK(describer.children_started() == 1);
    CHECK(description.abi_version.major == TUNE_ABI_VERSION_MAJOR);
    REQUIRE(description.plugins.size() == 1);
    CHECK(description.plugins[0].id == "org.tune.sample.curve");
    CHECK(description.plugins[0].kind == TUNE_KIND_TRAINABLE);
    CHECK(description.plugins[0].version == "1.0.0");
    CHECK(description.plugins[0].file == file);
    CHECK(nlohmann::json::parse(description.plugins[0].example_config) ==
          nlohmann::json{{"x", 0.2}, {"y", 0.1}, {"rate", 0.5}, {"noise", 0.05}});
    CHECK_FALSE(description.loaded); // nothing was loaded into this process
}

TEST_CASE("describe: a library whose constructor crashes is that library's error", "[describe]") {
    auto describer = worker_describer();
    auto file = tune::test::broken_plugin_dir() / "crashing_constructor.so";
    LibraryDescription description = describer.describe(file);
    CHECK_THAT(description.error, Contains(file.string() + ": crashed with SIGSEGV while loading"));
    CHECK(description.cacheable());

    std::vector<std::string> warnings;
    auto registry = PluginRegistry::scan({file, tune::test::plugin_dir()}, warnings, describer);
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Contains("crashing_constructor.so") && Contains("SIGSEGV"));
    CHECK(registry.resolve("curve").id == "org.tune.sample.curve");
}

TEST_CASE("describe: the loader's errors read as they do in process", "[describe]") {
    auto describer = worker_describer();
    auto broken = tune::test::broken_plugin_dir();
    auto wrong_abi = describer.describe(broken / "wrong_abi.so");
    CHECK_THAT(wrong_abi.error, Contains((broken / "wrong_abi.so").string()) && Contains("ABI 999.3") &&
                                    Contains("major versions must match"));
    CHECK(wrong_abi.error_kind == LibraryDescription::ErrorKind::file);
    auto text = describer.describe(broken / "not_a_library.so");
    CHECK_THAT(text.error, Contains((broken / "not_a_library.so").string()) && Contains("is not a shared library") &&
                               Contains("the loader said:"));
    CHECK_THAT(text.error, !Contains("Bad file descriptor"));
}

TEST_CASE("describe: duplicate ids across two described libraries name both files", "[describe]") {
    auto describer = worker_describer();
    auto broken = tune::test::broken_plugin_dir();
    std::vector<std::string> warnings;
    try {
        PluginRegistry::scan({broken / "duplicate_a.so", broken / "duplicate_b.so"}, warnings, describer);
        FAIL("scan should have thrown");
    } catch (const PluginError &e) {
        CHECK_THAT(e.what(), Contains("duplicate plugin id 'org.tune.test.duplicate'") && Contains("duplicate_a.so") &&
                                 Contains("duplicate_b.so"));
    }
}

TEST_CASE("describe: a child that prints garbage or hangs or fails is the library's error", "[describe]") {
    tune::test::TempDir dir;
    auto file = tune::test::plugin_dir() / "tune_sample_curve.so";

    WorkerDescriber garbage(write_script(dir, "garbage.sh", "echo 'this is no JSON'"), 10);
    auto printed = garbage.describe(file);
    CHECK_THAT(printed.error, Contains(file.string() + ": loading it printed no valid description"));
    CHECK_FALSE(printed.cacheable());

    WorkerDescriber other_file(
        write_script(dir, "other.sh", R"(echo '{"format": "tune-describe/1", "file": "/x.so", "error": "e", "error_kind": "file"}')"),
        10);
    CHECK_THAT(other_file.describe(file).error, Contains("it describes /x.so instead"));

    WorkerDescriber hanging(write_script(dir, "hang.sh", "echo about to hang >&2; exec sleep 30"), 0.3);
    auto start = std::chrono::steady_clock::now();
    auto hung = hanging.describe(file);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
    CHECK_THAT(hung.error, Contains(file.string() + ": timed out after 0.3 s while loading") &&
                               Contains("its last output: about to hang"));
    CHECK_FALSE(hung.cacheable());

    WorkerDescriber failing(write_script(dir, "fail.sh", "echo cannot go on >&2; exit 4"), 10);
    CHECK_THAT(failing.describe(file).error, Contains("exited with status 4 while loading") && Contains("cannot go on"));
}

TEST_CASE("describe cache: the second scan starts no child", "[describe][cache]") {
    tune::test::TempDir cache_dir;
    auto broken = tune::test::broken_plugin_dir();
    const std::vector<fs::path> path{tune::test::plugin_dir(), broken / "crashing_constructor.so",
                                     broken / "wrong_abi.so"};
    std::vector<std::string> first_warnings;
    int first_children = 0;
    std::vector<tune::core::PluginInfo> first_plugins;
    {
        auto in_child = worker_describer();
        DescriptorCache cache(cache_dir.path());
        CachingDescriber cached(cache, in_child);
        first_plugins = PluginRegistry::scan(path, first_warnings, cached).plugins();
        cache.save();
        first_children = in_child.children_started();
    }
    CHECK(first_children >= 3);
    CHECK(fs::exists(cache_dir.path() / "plugin-descriptors.json"));

    auto in_child = worker_describer();
    DescriptorCache cache(cache_dir.path());
    CachingDescriber cached(cache, in_child);
    std::vector<std::string> warnings;
    auto registry = PluginRegistry::scan(path, warnings, cached);
    CHECK(in_child.children_started() == 0); // the broken libraries' errors came from the cache too
    CHECK(warnings == first_warnings);
    REQUIRE(registry.plugins().size() == first_plugins.size());
    for (std::size_t i = 0; i < first_plugins.size(); ++i) {
        CHECK(registry.plugins()[i].id == first_plugins[i].id);
        CHECK(registry.plugins()[i].file == first_plugins[i].file);
        CHECK(registry.plugins()[i].description == first_plugins[i].description);
        CHECK(registry.plugins()[i].example_config == first_plugins[i].example_config);
    }
    CHECK(std::any_of(first_plugins.begin(), first_plugins.end(),
                      [](const tune::core::PluginInfo &p) { return !p.example_config.empty(); }));
}

TEST_CASE("describe cache: a library with a new modification time is described again", "[describe][cache]") {
    tune::test::TempDir dir;
    const fs::path library = copy_of_curve(dir);
    auto in_child = worker_describer();
    DescriptorCache cache(dir.path() / "cache");
    CachingDescriber cached(cache, in_child);
    REQUIRE(cached.describe(library).ok());
    REQUIRE(cached.describe(library).ok());
    CHECK(in_child.children_started() == 1);

    fs::last_write_time(library, fs::last_write_time(library) + std::chrono::seconds(5));
    REQUIRE(cached.describe(library).ok());
    CHECK(in_child.children_started() == 2);

    // Replaced by another file under the same name (another inode): described again.
    fs::remove(library);
    fs::copy_file(tune::test::plugin_dir() / "tune_sample_curve.so", library);
    REQUIRE(cached.describe(library).ok());
    CHECK(in_child.children_started() == 3);
}

TEST_CASE("describe cache: a corrupt or foreign cache file is ignored and rewritten", "[describe][cache]") {
    tune::test::TempDir dir;
    const fs::path library = tune::test::plugin_dir() / "tune_sample_curve.so";
    const fs::path cache_file = dir.path() / "plugin-descriptors.json";
    for (const std::string &garbage :
         {std::string("{\"format\": \"tune-plugin-cache/1\", \"libra"), std::string("[1, 2, 3]"),
          std::string("{\"format\": \"tune-plugin-cache/1\", \"host\": \"tune 0.0.0 ABI 0.0\", \"libraries\": []}"),
          std::string("\x7f" "ELF\x01\x02")}) {
        std::ofstream(cache_file, std::ios::binary | std::ios::trunc) << garbage;
        auto in_child = worker_describer();
        DescriptorCache cache(dir.path());
        CachingDescriber cached(cache, in_child);
        REQUIRE(cached.describe(library).ok());
        CHECK(in_child.children_started() == 1);
        cache.save();
    }
    // The last save wrote a good file: the next reader uses it.
    auto in_child = worker_describer();
    DescriptorCache cache(dir.path());
    CachingDescriber cached(cache, in_child);
    REQUIRE(cached.describe(library).ok());
    CHECK(in_child.children_started() == 0);

    // A cache in a folder that cannot be created is no error either.
    DescriptorCache nowhere(fs::path("/proc/no/such/folder"));
    CachingDescriber uncached(nowhere, in_child);
    REQUIRE(uncached.describe(library).ok());
    CHECK_NOTHROW(nowhere.save());
}

TEST_CASE("describe cache: a library's error is cached only when it is the file's own", "[describe][cache]") {
    tune::test::TempDir dir;
    WorkerDescriber failing(write_script(dir, "fail.sh", "exit 3"), 10);
    DescriptorCache cache(dir.path() / "cache");
    CachingDescriber cached(cache, failing);
    const fs::path library = tune::test::plugin_dir() / "tune_sample_curve.so";
    CHECK_FALSE(cached.describe(library).ok());
    CHECK_FALSE(cached.describe(library).ok());
    CHECK(failing.children_started() == 2); // an environment failure is asked again
}

TEST_CASE("registry: a described library is loaded into the host only at its first create", "[registry][describe]") {
    auto describer = worker_describer();
    std::vector<std::string> warnings;
    auto registry = PluginRegistry::scan({tune::test::plugin_dir()}, warnings, describer);
    CHECK(registry.loaded_libraries().empty());
    CHECK(registry.resolve("curve", TUNE_KIND_TRAINABLE).id == "org.tune.sample.curve");
    CHECK(registry.resolve("asha").file.filename() == "tune_asha_scheduler.so");
    CHECK(registry.loaded_libraries().empty()); // resolving loads nothing

    auto scheduler = registry.create("asha", tune::core::host_services(), TUNE_KIND_SCHEDULER);
    auto searcher = registry.create("random", tune::core::host_services(), TUNE_KIND_SEARCHER);
    auto again = registry.create("random", tune::core::host_services(), TUNE_KIND_SEARCHER);
    auto loaded = registry.loaded_libraries();
    CHECK(loaded.size() == 2);
    CHECK(contains_file(loaded, "tune_asha_scheduler.so"));
    CHECK(contains_file(loaded, "tune_random_searcher.so"));
    CHECK_FALSE(contains_file(loaded, "tune_sample_curve.so"));
}

TEST_CASE("registry: a library that no longer has the plugin it was described with says so at create",
          "[registry][describe]") {
    tune::test::TempDir dir;
    const fs::path library = dir.path() / "changing.so";
    fs::copy_file(tune::test::plugin_dir() / "tune_random_searcher.so", library);
    auto describer = worker_describer();
    std::vector<std::string> warnings;
    auto registry = PluginRegistry::scan({library}, warnings, describer);
    REQUIRE(registry.resolve("random").id == "org.tune.searcher.random");

    fs::remove(library);
    fs::copy_file(tune::test::plugin_dir() / "tune_fifo_scheduler.so", library);
    CHECK_THROWS_WITH(registry.create("random", tune::core::host_services()),
                      Contains(library.string()) && Contains("has no plugin 'org.tune.searcher.random'"));
}
