// The tune executable: --version, `tune plugins`, usage errors and exit statuses.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/test_paths.hpp"

using Catch::Matchers::Contains;
using tune::test::run_tune;

TEST_CASE("cli: --version prints the version", "[cli]") {
    auto result = run_tune({"--version"});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Contains("tune " TUNE_VERSION));
}

TEST_CASE("cli: no subcommand is a usage error with exit status 2", "[cli]") {
    auto result = run_tune({});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Contains("subcommand is required"));
    CHECK(run_tune({"frobnicate"}).exit_code == 2);
}

TEST_CASE("cli: every subcommand has --help", "[cli]") {
    auto help = run_tune({"--help"});
    CHECK(help.exit_code == 0);
    CHECK_THAT(help.out, Contains("plugins"));
    auto plugins_help = run_tune({"plugins", "--help"});
    CHECK(plugins_help.exit_code == 0);
    CHECK_THAT(plugins_help.out, Contains("--json"));
}

TEST_CASE("cli: tune plugins lists id, kind, version, description and file", "[cli]") {
    auto result = run_tune({"plugins"});
    REQUIRE(result.exit_code == 0);
    CHECK_THAT(result.out, Contains("org.tune.sample.curve") && Contains("org.tune.sample.c_quadratic") &&
                               Contains("trainable") && Contains("1.0.0") &&
                               Contains("Plain-C sample trainable") &&
                               Contains((tune::test::plugin_dir() / "tune_sample_curve.so").string()));
}

TEST_CASE("cli: tune plugins --json is machine-readable", "[cli]") {
    auto result = run_tune({"plugins", "--json"});
    REQUIRE(result.exit_code == 0);
    auto list = nlohmann::json::parse(result.out);
    REQUIRE(list.is_array());
    bool found = false;
    for (const auto &p : list)
        if (p.at("id") == "org.tune.sample.c_quadratic") {
            found = true;
            CHECK(p.at("kind") == "trainable");
            CHECK(p.at("file").get<std::string>().find("tune_sample_c_quadratic.so") != std::string::npos);
            CHECK(p.at("example_config") == nlohmann::json{{"x", 2.5}});
        }
    CHECK(found);
}

TEST_CASE("cli: tune plugins --example prints a plugin's example config as JSON, by id or short name", "[cli]") {
    auto asha = run_tune({"plugins", "--example", "asha"});
    REQUIRE(asha.exit_code == 0);
    auto settings = nlohmann::json::parse(asha.out);
    CHECK(settings.at("metric") == "loss");
    CHECK(settings.at("options").at("max_t") == 8);
    auto c = run_tune({"plugins", "--example", "org.tune.sample.c_quadratic"});
    CHECK(c.exit_code == 0);
    CHECK(nlohmann::json::parse(c.out) == nlohmann::json{{"x", 2.5}});
}

TEST_CASE("cli: tune plugins --example refuses an unknown id, a plugin without an example and a bad example",
          "[cli]") {
    auto unknown = run_tune({"plugins", "--example", "org.example.nope"});
    CHECK(unknown.exit_code == 3);
    CHECK_THAT(unknown.err, Contains("--example") && Contains("org.example.nope"));

    const auto broken = tune::test::broken_plugin_dir();
    auto none = run_tune({"--plugin-path", (broken / "throwing_constructor.so").string(), "plugins", "--example",
                          "org.tune.test.throwing_constructor"});
    CHECK(none.exit_code == 1);
    CHECK_THAT(none.err, Contains("org.tune.test.throwing_constructor (" + (broken / "throwing_constructor.so").string() +
                                  ") publishes no example config"));
    CHECK(none.out.empty());

    auto array = run_tune({"--plugin-path", (broken / "array_example_config.so").string(), "plugins", "--example",
                           "org.tune.test.bad_example"});
    CHECK(array.exit_code == 1);
    CHECK_THAT(array.err, Contains("has an example config that is not a JSON object (tune check-plugin " +
                                   (broken / "array_example_config.so").string() + " says why)"));
}

TEST_CASE("cli: --plugin-path and TUNE_PLUGIN_PATH add libraries, broken ones are warned about", "[cli]") {
    auto broken = tune::test::broken_plugin_dir();
    auto result = run_tune({"--plugin-path", (broken / "throwing_constructor.so").string(), "plugins"},
                           {"TUNE_PLUGIN_PATH=" + (broken / "wrong_abi.so").string()});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Contains("org.tune.test.throwing_constructor") && Contains("org.tune.sample.curve"));
    CHECK_THAT(result.err, Contains("wrong_abi.so") && Contains("ABI 999.3"));
}

TEST_CASE("cli: a library whose descriptor has a kind that is no TUNE_KIND_* is skipped with a warning naming the "
          "value",
          "[cli]") {
    auto file = tune::test::broken_plugin_dir() / "unknown_kind.so";
    auto result = run_tune({"--plugin-path", file.string(), "plugins"});
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.out, Contains("org.tune.sample.curve"));
    CHECK_THAT(result.out, !Contains("org.tune.test.malformed"));
    CHECK_THAT(result.err, Contains(file.string()) &&
                               Contains("plugin_descriptor(0) returned plugin 'org.tune.test.malformed' with kind 7"));
}

TEST_CASE("cli: duplicate plugin ids on the path fail with exit status 3", "[cli]") {
    auto broken = tune::test::broken_plugin_dir();
    auto result = run_tune({"--plugin-path", (broken / "duplicate_a.so").string() + ":" +
                                                 (broken / "duplicate_b.so").string(),
                            "plugins"});
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.err, Contains("duplicate plugin id 'org.tune.test.duplicate'"));
}
