// `cmake --install` gives a prefix that third-party plugin projects build against with
// find_package(TuneSDK) alone, and whose host checks and runs what they build: the
// `tune new trainable` scaffold and the searcher and scheduler sample. The trainable samples
// are built from the docs' text by doc_snippets_test.cpp.
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "sdk/sdk_install_support.hpp"

using Catch::Matchers::Contains;
using namespace tune::test;
namespace fs = std::filesystem;

TEST_CASE("sdk: the install holds the host, its worker, the shipped plugins and the SDK package", "[sdk]") {
    TempDir prefix("tune-prefix");
    install_into(prefix.path());
    for (const char *file : {"bin/tune", "bin/tune-worker", "lib/tune/plugins/tune_sample_curve.so",
                             "lib/tune/plugins/tune_random_searcher.so", "lib/tune/plugins/tune_grid_searcher.so",
                             "lib/tune/plugins/tune_fifo_scheduler.so", "lib/tune/plugins/tune_asha_scheduler.so",
                             "include/tune/tune.h", "include/tune/plugin.hpp", "include/tune/sdk/trainable.hpp",
                             "include/tune/space/variant_searcher.hpp", "lib/cmake/TuneSDK/TuneSDKConfig.cmake",
                             "lib/cmake/TuneSDK/TuneSDKConfigVersion.cmake", "lib/cmake/TuneSDK/TunePlugin.cmake",
                             "lib/cmake/TuneSDK/tune_plugin.map", "lib/cmake/TuneSDK/TuneSDKTargets.cmake",
                             "lib/libtune_search_space.a"}) {
        INFO(file);
        CHECK(fs::exists(prefix.path() / file));
    }
    // The samples are not shipped plugins: the installed host must not find them by default.
    CHECK_FALSE(fs::exists(prefix.path() / "lib/tune/plugins/tune_sample_c_quadratic.so"));
    // The installed host finds the installed plugins with no flag: <prefix>/bin/../lib/tune/plugins.
    auto plugins = installed_tune(prefix.path(), {"plugins", "--json"});
    REQUIRE(plugins.exit_code == 0);
    bool found_asha = false;
    for (const auto &plugin : nlohmann::json::parse(plugins.out)) {
        fs::path file = plugin.at("file").get<std::string>();
        CHECK(fs::equivalent(file.parent_path(), prefix.path() / "lib/tune/plugins"));
        found_asha = found_asha || plugin.at("id") == "org.tune.scheduler.asha";
    }
    CHECK(found_asha);
}

TEST_CASE("sdk: tune new trainable scaffolds a project that builds against the install, passes check-plugin and "
          "runs",
          "[sdk]") {
    TempDir work("tune-scaffold");
    const fs::path prefix = work.path() / "prefix";
    install_into(prefix);
    const fs::path project = work.path() / "my_model";
    auto created = installed_tune(prefix, {"new", "trainable", "my_model", "--dir", project.string(), "--id",
                                           "com.acme.my_model"});
    INFO(created.out << created.err);
    REQUIRE(created.exit_code == 0);
    for (const char *file : {"my_model.cpp", "CMakeLists.txt", "experiment.toml", "README.md"})
        CHECK(fs::exists(project / file));

    build_out_of_tree(project, project / "build", prefix);
    const fs::path library = project / "build" / "my_model.so";
    auto checked = installed_tune(prefix, {"check-plugin", library.string()});
    INFO(checked.out << checked.err);
    CHECK(checked.exit_code == 0);
    CHECK_THAT(checked.out, Contains(R"([com.acme.my_model] config from its example config (--config to use another): {"lr":0.1})"));
    auto example = installed_tune(prefix, {"--plugin-path", library.string(), "plugins", "--example", "com.acme.my_model"});
    CHECK(example.exit_code == 0);
    CHECK(nlohmann::json::parse(example.out) == nlohmann::json{{"lr", 0.1}});
    auto ran = installed_tune(prefix, {"--plugin-path", library.string(), "run", (project / "experiment.toml").string(),
                                       "--progress", "quiet", "--set",
                                       "experiment.results_dir=\"" + (work.path() / "results").string() + "\""});
    INFO(ran.out << ran.err);
    CHECK(ran.exit_code == 0);
    CHECK(fs::exists(work.path() / "results" / "my_model" / "summary.json"));
}

TEST_CASE("sdk: a searcher and a scheduler built out of tree with tune::search_space pass check-plugin and tune the "
          "installed curve trainable",
          "[sdk]") {
    TempDir work("tune-control");
    const fs::path prefix = work.path() / "prefix";
    install_into(prefix);
    fs::path project = copy_sample("cpp_searcher_scheduler", work.path());
    build_out_of_tree(project, project / "build", prefix);
    const fs::path library = project / "build" / "example_control.so";
    auto checked = installed_tune(prefix, {"check-plugin", library.string()});
    INFO(checked.out << checked.err);
    CHECK(checked.exit_code == 0);
    // Neither publishes an example config: each is checked with its kind's default settings.
    CHECK_THAT(checked.out, Contains("[org.example.random_points] config from the default for its kind") &&
                                Contains("2 plugins: org.example.random_points (searcher), org.example.median_stopping "
                                     "(scheduler)") &&
                                Contains("15 checks: 15 passed, 0 failed"));
    auto ran = installed_tune(prefix, {"--plugin-path", library.string(), "run", (project / "curve_median.toml").string(),
                                       "--progress", "quiet", "--set",
                                       "experiment.results_dir=\"" + (work.path() / "results").string() + "\""});
    INFO(ran.out << ran.err);
    REQUIRE(ran.exit_code == 0);
    auto summary = summary_of(work.path() / "results" / "curve_median");
    REQUIRE(summary.at("trials").size() == 8);
    for (const auto &trial : summary.at("trials")) CHECK(trial.at("status") == "TERMINATED");
}
