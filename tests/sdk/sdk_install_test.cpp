// `cmake --install` gives a prefix that third-party plugin projects build against with
// find_package(TuneSDK) alone, and whose host checks and runs what they build. Also the
// `tune new trainable` scaffold, built against that prefix.
#include <fstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/test_paths.hpp"

using Catch::Matchers::Contains;
using namespace tune::test;
namespace fs = std::filesystem;

namespace {

// Installs the build into prefix with the same CMake that configured it.
void install_into(const fs::path &prefix) {
    auto result = run_program({TUNE_TEST_CMAKE, "--install", binary_dir().string(), "--prefix", prefix.string()});
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
}

// Configures and builds the project in source against prefix only (no path into this
// repository, no build tree), into build.
void build_out_of_tree(const fs::path &source, const fs::path &build, const fs::path &prefix) {
    auto configure = run_program({TUNE_TEST_CMAKE, "-S", source.string(), "-B", build.string(), "-G",
                                  TUNE_TEST_CMAKE_GENERATOR, "-DCMAKE_MAKE_PROGRAM=" TUNE_TEST_MAKE_PROGRAM,
                                  "-DCMAKE_BUILD_TYPE=Release", "-DCMAKE_PREFIX_PATH=" + prefix.string()});
    INFO(configure.out << configure.err);
    REQUIRE(configure.exit_code == 0);
    auto build_result = run_program({TUNE_TEST_CMAKE, "--build", build.string()});
    INFO(build_result.out << build_result.err);
    REQUIRE(build_result.exit_code == 0);
}

// Copies a sample out of the repository, so nothing relative to it can be found.
fs::path copy_sample(const std::string &name, const fs::path &to) {
    fs::copy(source_dir() / "samples" / name, to / name, fs::copy_options::recursive);
    return to / name;
}

CommandResult installed_tune(const fs::path &prefix, const std::vector<std::string> &args) {
    std::vector<std::string> argv = {(prefix / "bin" / "tune").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    // TUNE_PLUGIN_PATH cleared: only the prefix's plugins and --plugin-path count.
    return run_program(argv, {"TUNE_PLUGIN_PATH="});
}

nlohmann::json summary_of(const fs::path &dir) {
    std::ifstream in(dir / "summary.json");
    return nlohmann::json::parse(in);
}

} // namespace

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

TEST_CASE("sdk: the out-of-tree samples build against the installed SDK alone, pass check-plugin and run with the "
          "installed host",
          "[sdk]") {
    TempDir work("tune-out-of-tree");
    const fs::path prefix = work.path() / "prefix";
    install_into(prefix);

    // C++: samples/cpp_trainable (org.example.bowl), tuned with the shipped random searcher and ASHA.
    fs::path cpp = copy_sample("cpp_trainable", work.path());
    build_out_of_tree(cpp, cpp / "build", prefix);
    const fs::path bowl = cpp / "build" / "bowl_trainable.so";
    REQUIRE(fs::exists(bowl));
    auto checked = installed_tune(prefix, {"check-plugin", bowl.string(), "--config", R"({"lr": 0.1})"});
    INFO(checked.out << checked.err);
    CHECK(checked.exit_code == 0);
    CHECK_THAT(checked.out, Contains("10 checks: 10 passed, 0 failed"));
    auto ran = installed_tune(prefix, {"--plugin-path", (cpp / "build").string(), "run",
                                       (cpp / "bowl_random.toml").string(), "--progress", "quiet", "--set",
                                       "experiment.results_dir=\"" + (work.path() / "results").string() + "\""});
    INFO(ran.out << ran.err);
    REQUIRE(ran.exit_code == 0);
    auto summary = summary_of(work.path() / "results" / "bowl_random");
    CHECK(summary.at("trials").size() == 6);
    CHECK(summary.at("best_trial").at("value").is_number());

    // Plain C: samples/c_trainable, over a grid with FIFO.
    fs::path c = copy_sample("c_trainable", work.path());
    build_out_of_tree(c, c / "build", prefix);
    const fs::path quadratic = c / "build" / "tune_sample_c_quadratic.so";
    auto c_checked = installed_tune(prefix, {"check-plugin", quadratic.string(), "--config", R"({"x": 0.5})"});
    INFO(c_checked.out << c_checked.err);
    CHECK(c_checked.exit_code == 0);
    auto c_ran = installed_tune(prefix, {"--plugin-path", (c / "build").string(), "run",
                                         (c / "c_quadratic_grid.toml").string(), "--progress", "quiet", "--set",
                                         "experiment.results_dir=\"" + (work.path() / "results").string() + "\""});
    INFO(c_ran.out << c_ran.err);
    REQUIRE(c_ran.exit_code == 0);
    auto c_summary = summary_of(work.path() / "results" / "c_quadratic_grid");
    CHECK(c_summary.at("trials").size() == 4);
    CHECK(c_summary.at("best_trial").at("config").at("x") == 1.0);
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
    CHECK_THAT(checked.out, Contains("[com.acme.my_model]"));
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
    CHECK_THAT(checked.out, Contains("2 plugins: org.example.random_points (searcher), org.example.median_stopping "
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
