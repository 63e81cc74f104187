// `tune new trainable NAME`: what it writes, and the names and folders it refuses.
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "support/file_contents.hpp"
#include "support/test_paths.hpp"

using Catch::Matchers::Contains;
using namespace tune::test;
namespace fs = std::filesystem;

TEST_CASE("new: a trainable project gets its name, class and id in every file", "[cli]") {
    TempDir dir;
    auto result = run_tune({"new", "trainable", "lr_finder", "--dir", (dir.path() / "p").string()});
    REQUIRE(result.exit_code == 0);
    std::string source = tune::test::read_text(dir.path() / "p" / "lr_finder.cpp");
    CHECK_THAT(source, Contains("class LrFinder final : public tune::Trainable") &&
                           Contains("\"org.example.lr_finder\"") && Contains("TUNE_PLUGIN_LIBRARY(LrFinder);"));
    std::string cmake = tune::test::read_text(dir.path() / "p" / "CMakeLists.txt");
    CHECK_THAT(cmake, Contains("find_package(TuneSDK " TUNE_VERSION " REQUIRED)") &&
                          Contains("tune_add_plugin(lr_finder SOURCES lr_finder.cpp)"));
    CHECK_THAT(tune::test::read_text(dir.path() / "p" / "experiment.toml"), Contains("plugin = \"org.example.lr_finder\""));
    CHECK_THAT(result.out, Contains("tune check-plugin"));
}

TEST_CASE("new: a name that is no C identifier, a bad id or a non-empty folder is refused", "[cli]") {
    TempDir dir;
    auto bad_name = run_tune({"new", "trainable", "my-model", "--dir", (dir.path() / "a").string()});
    CHECK(bad_name.exit_code == 2);
    CHECK_THAT(bad_name.err, Contains("NAME 'my-model' must be a C identifier"));
    auto bad_id = run_tune({"new", "trainable", "ok", "--id", "nodots", "--dir", (dir.path() / "b").string()});
    CHECK(bad_id.exit_code == 2);
    CHECK_THAT(bad_id.err, Contains("--id 'nodots' must be a reverse-domain name"));
    std::ofstream(dir.path() / "taken.txt") << "x";
    auto taken = run_tune({"new", "trainable", "ok", "--dir", dir.path().string()});
    CHECK(taken.exit_code == 2);
    CHECK_THAT(taken.err, Contains("already exists and is not an empty folder"));
    CHECK_FALSE(fs::exists(dir.path() / "ok.cpp"));
    auto no_kind = run_tune({"new"});
    CHECK(no_kind.exit_code == 2);
}
