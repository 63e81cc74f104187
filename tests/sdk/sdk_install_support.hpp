// Installing this build into a prefix, building plugin projects out of tree against it, and
// running its host: what the SDK tests share (TUNE_TEST_CMAKE and the generator come from
// tests/CMakeLists.txt).
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/test_paths.hpp"

namespace tune::test {

namespace fs = std::filesystem;

// Installs the build into prefix with the same CMake that configured it.
inline void install_into(const fs::path &prefix) {
    auto result = run_program({TUNE_TEST_CMAKE, "--install", binary_dir().string(), "--prefix", prefix.string()});
    INFO(result.out << result.err);
    REQUIRE(result.exit_code == 0);
}

// Configures and builds the project in source against prefix only (no path into this
// repository, no build tree), into build.
inline void build_out_of_tree(const fs::path &source, const fs::path &build, const fs::path &prefix) {
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
inline fs::path copy_sample(const std::string &name, const fs::path &to) {
    fs::copy(source_dir() / "samples" / name, to / name, fs::copy_options::recursive);
    return to / name;
}

inline CommandResult installed_tune(const fs::path &prefix, const std::vector<std::string> &args) {
    std::vector<std::string> argv = {(prefix / "bin" / "tune").string()};
    argv.insert(argv.end(), args.begin(), args.end());
    // TUNE_PLUGIN_PATH cleared: only the prefix's plugins and --plugin-path count.
    return run_program(argv, {"TUNE_PLUGIN_PATH="});
}

inline nlohmann::json summary_of(const fs::path &dir) {
    std::ifstream in(dir / "summary.json");
    return nlohmann::json::parse(in);
}


} // namespace tune::test
