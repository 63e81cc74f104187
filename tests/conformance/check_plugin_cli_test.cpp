// `tune check-plugin` options: --junit, --id, --list, and usage errors.
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "support/file_contents.hpp"
#include "conformance/check_plugin_support.hpp"

using Catch::Matchers::Contains;
using namespace tune::test;

namespace {

std::size_t count_of(const std::string &text, const std::string &what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

} // namespace

TEST_CASE("check-plugin: --junit writes one testcase per check, with no failure when all pass", "[conformance]") {
    TempDir dir;
    auto report = dir.path() / "report.xml";
    CheckRun run = check_plugin({shipped("tune_fifo_scheduler.so"), "--junit", report.string()});
    REQUIRE(run.command.exit_code == 0);
    std::string xml = tune::test::read_text(report);
    CHECK_THAT(xml, Contains("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    CHECK_THAT(xml, Contains("<testsuite name=\"" + shipped("tune_fifo_scheduler.so") + "\" tests=\"8\" failures=\"0\""));
    CHECK(count_of(xml, "<testcase ") == 8);
    CHECK_THAT(xml, Contains("classname=\"org.tune.scheduler.fifo\" name=\"scheduler.save_restore\""));
    CHECK(count_of(xml, "<failure") == 0);
}

TEST_CASE("check-plugin: --junit reports each failure with its reason", "[conformance]") {
    TempDir dir;
    auto report = dir.path() / "report.xml";
    CheckRun run = check_plugin({broken("forgetful_trainable.so"), "--junit", report.string()});
    REQUIRE(run.command.exit_code == 1);
    std::string xml = tune::test::read_text(report);
    CHECK_THAT(xml, Contains("failures=\"1\""));
    CHECK(count_of(xml, "<failure message=\"") == 1);
    CHECK_THAT(xml, Contains("name=\"trainable.save_restore\""));
    // Quotes in the message are escaped for XML.
    CHECK_THAT(xml, Contains("&quot;loss&quot;"));
}

TEST_CASE("check-plugin: --junit to a folder that does not exist is an error", "[conformance]") {
    CheckRun run = check_plugin({shipped("tune_fifo_scheduler.so"), "--junit", "/nonexistent/dir/report.xml"});
    CHECK(run.command.exit_code == 1);
    CHECK_THAT(run.command.err, Contains("cannot write the JUnit report /nonexistent/dir/report.xml"));
}

TEST_CASE("check-plugin: --id checks one plugin, an unknown id lists the library's ids", "[conformance]") {
    CheckRun one = check_plugin({shipped("tune_fifo_scheduler.so"), "--id", "org.tune.scheduler.fifo"});
    CHECK(one.command.exit_code == 0);
    CHECK(one.passed.count("scheduler.decisions") == 1);

    CheckRun unknown = check_plugin({shipped("tune_fifo_scheduler.so"), "--id", "org.example.nope"});
    CHECK(unknown.command.exit_code == 2);
    CHECK_THAT(unknown.command.err, Contains("has no plugin 'org.example.nope'; it has: org.tune.scheduler.fifo"));
}

TEST_CASE("check-plugin: --config must be a JSON object", "[conformance]") {
    auto bad = run_tune({"check-plugin", shipped("tune_sample_curve.so"), "--config", "{not json"});
    CHECK(bad.exit_code == 2);
    CHECK_THAT(bad.err, Contains("--config: not valid JSON"));
    auto array = run_tune({"check-plugin", shipped("tune_sample_curve.so"), "--config", "[1]"});
    CHECK(array.exit_code == 2);
    CHECK_THAT(array.err, Contains("expected a JSON object"));
    auto missing = run_tune({"check-plugin", shipped("tune_sample_curve.so"), "--config", "@/nonexistent.json"});
    CHECK(missing.exit_code == 2);
    CHECK_THAT(missing.err, Contains("cannot read /nonexistent.json"));
}

TEST_CASE("check-plugin: a config the plugin refuses fails the checks that set it up, naming the fix",
          "[conformance]") {
    CheckRun run = check_plugin({shipped("tune_sample_c_quadratic.so"), "--config", R"({"x": "two"})"});
    CHECK(run.command.exit_code == 1);
    REQUIRE(run.failed.count("trainable.step_results") == 1);
    CHECK_THAT(run.failed["trainable.step_results"], Contains("config key 'x' must be a number"));
}

TEST_CASE("check-plugin: --list names every check", "[conformance]") {
    auto list = run_tune({"check-plugin", "--list"});
    CHECK(list.exit_code == 0);
    for (const char *name : {"load", "abi_version", "descriptors", "create_destroy", "invalid_config",
                             "calls_after_error", "trainable.step_results", "trainable.determinism",
                             "trainable.save_restore", "trainable.reset", "searcher.suggestions_in_space",
                             "searcher.reproducible", "searcher.finished_not_ready", "searcher.save_restore",
                             "scheduler.decisions", "scheduler.save_restore"})
        CHECK_THAT(list.out, Contains(std::string("  ") + name + " "));
}

TEST_CASE("check-plugin: no library is a usage error", "[conformance]") {
    auto none = run_tune({"check-plugin"});
    CHECK(none.exit_code == 2);
    CHECK_THAT(none.err, Contains("LIB is required"));
}
