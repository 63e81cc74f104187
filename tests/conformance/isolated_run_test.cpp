// run_isolated: a check body's report comes back from its child process, and a child that
// crashes, exits or hangs becomes a failure with the reason and its last output.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "core/conformance/isolated_run.hpp"
#include "support/test_paths.hpp"

using Catch::Matchers::Contains;
using tune::conformance::run_isolated;
using tune::test::TempDir;

TEST_CASE("isolated run: the body's JSON report comes back, its output goes to the log", "[conformance]") {
    TempDir dir;
    auto outcome = run_isolated(
        [] {
            std::printf("hello from the child\n");
            return nlohmann::json{{"passed", true}, {"pid", static_cast<int>(::getpid())}};
        },
        30, dir.path() / "out.log");
    REQUIRE(outcome.completed);
    CHECK(outcome.report.at("passed") == true);
    CHECK(outcome.report.at("pid") != static_cast<int>(::getpid())); // it ran in another process
    CHECK_THAT(outcome.output, Contains("hello from the child"));
}

TEST_CASE("isolated run: a crashing body is a failure naming the signal, with its last words", "[conformance]") {
    TempDir dir;
    auto outcome = run_isolated(
        []() -> nlohmann::json {
            std::fprintf(stderr, "about to crash\n");
            std::raise(SIGSEGV);
            return {};
        },
        30, dir.path() / "out.log");
    CHECK_FALSE(outcome.completed);
    CHECK_THAT(outcome.failure, Contains("crashed with signal 11 (SIGSEGV)"));
    CHECK_THAT(outcome.output, Contains("about to crash"));
}

TEST_CASE("isolated run: a body that exits without a report is a failure with the status", "[conformance]") {
    TempDir dir;
    auto outcome = run_isolated(
        []() -> nlohmann::json {
            std::_Exit(3);
        },
        30, dir.path() / "out.log");
    CHECK_FALSE(outcome.completed);
    CHECK_THAT(outcome.failure, Contains("exited with status 3 before the check finished"));
}

TEST_CASE("isolated run: a body that hangs is killed at the timeout", "[conformance]") {
    TempDir dir;
    auto outcome = run_isolated(
        []() -> nlohmann::json {
            std::this_thread::sleep_for(std::chrono::seconds(60));
            return {{"passed", true}};
        },
        0.5, dir.path() / "out.log");
    CHECK_FALSE(outcome.completed);
    CHECK_THAT(outcome.failure, Contains("timed out after 0.5 s"));
}

TEST_CASE("isolated run: an exception escaping the body is reported, not fatal", "[conformance]") {
    TempDir dir;
    auto outcome = run_isolated([]() -> nlohmann::json { throw std::runtime_error("oops"); }, 30,
                                dir.path() / "out.log");
    REQUIRE(outcome.completed);
    CHECK(outcome.report.at("passed") == false);
    CHECK_THAT(outcome.report.at("message").get<std::string>(), Contains("oops"));
}
