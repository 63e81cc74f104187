// The local executor with real tune-worker processes and the shipped sample trainables.
#include <catch2/catch.hpp>

#include <fstream>

#include "core/worker/local_executor.hpp"
#include "support/test_paths.hpp"
#include "tune/types.h"

using namespace tune::core;
using Catch::Matchers::Contains;
using nlohmann::json;
using Kind = TrialEvent::Kind;

namespace {

LocalExecutorOptions options_for(const tune::test::TempDir &dir, const std::string &library, const std::string &id,
                                 double step_timeout_s = 0.0) {
    std::filesystem::create_directories(dir.path() / "logs");
    return {tune::test::binary_dir() / "bin" / "tune-worker", dir.path() / "logs",
            tune::test::plugin_dir() / library, id, step_timeout_s};
}

TrialLaunch launch_of(const tune::test::TempDir &dir, const std::string &trial_id, json config,
                      const std::string &restore_from = "") {
    Allocation allocation;
    allocation.cpu = 1.0;
    const auto trial_dir = dir.path() / ("trial_" + trial_id);
    std::filesystem::create_directories(trial_dir);
    return {trial_id, allocation, trial_dir.string(), std::move(config), 5, restore_from};
}

// Polls until `count` events have come, or 20 s.
std::vector<TrialEvent> wait_for(TrialExecutor &executor, std::size_t count) {
    std::vector<TrialEvent> events;
    for (int i = 0; i < 100 && events.size() < count; ++i) executor.poll(0.2, events);
    REQUIRE(events.size() == count);
    return events;
}

} // namespace

TEST_CASE("local executor: a trial starts, steps and saves, and its worker runs the next trial", "[executor]") {
    tune::test::TempDir dir;
    LocalExecutor executor(options_for(dir, "tune_sample_curve.so", "org.tune.sample.curve"));
    executor.start(launch_of(dir, "00000", {{"noise", 0.0}}));
    executor.step("00000");
    const auto checkpoint = dir.path() / "trial_00000" / "checkpoint";
    std::filesystem::create_directories(checkpoint);
    executor.save("00000", checkpoint.string());
    const auto events = wait_for(executor, 3);
    CHECK(events[0].kind == Kind::Started);
    CHECK(events[1].kind == Kind::Result);
    CHECK(json::parse(events[1].text).contains("loss"));
    CHECK(events[2].kind == Kind::Saved);
    CHECK(std::filesystem::exists(checkpoint / "curve_state.json"));
    executor.release("00000");

    executor.start(launch_of(dir, "00001", {{"noise", 0.0}}, checkpoint.string()));
    executor.step("00001");
    const auto next = wait_for(executor, 2);
    CHECK(next[0].trial_id == "00001");
    CHECK(next[1].kind == Kind::Result);
    CHECK(executor.worker_count() == 1); // the same worker process, reused
    CHECK(std::filesystem::exists(dir.path() / "logs" / "worker_000.log"));
    CHECK_FALSE(std::filesystem::exists(dir.path() / "logs" / "worker_001.log"));
    executor.shutdown();
    CHECK(executor.worker_count() == 0);
}

TEST_CASE("local executor: a plugin error is Failed with its status and message, the worker lives on", "[executor]") {
    tune::test::TempDir dir;
    LocalExecutor executor(options_for(dir, "tune_sample_curve.so", "org.tune.sample.curve"));
    executor.start(launch_of(dir, "00000", {{"rate", "fast"}}));
    executor.step("00000"); // owed, and dropped: the trial failed first
    const auto events = wait_for(executor, 1);
    CHECK(events[0].kind == Kind::Failed);
    CHECK(events[0].request == TrialRequest::Start);
    CHECK(events[0].status == TUNE_ERROR_INVALID_CONFIG);
    CHECK_THAT(events[0].text, Contains("'rate' must be a number"));
    executor.step("00000"); // the trial is forgotten: ignored
    // The worker is idle once it answered the Step it still owed (dropped): until then a new
    // trial would get a new worker. Give it up to a second.
    std::vector<TrialEvent> none;
    for (int i = 0; i < 10; ++i) executor.poll(0.1, none);
    CHECK(none.empty());
    executor.start(launch_of(dir, "00001", json::object()));
    executor.step("00001");
    const auto next = wait_for(executor, 2);
    CHECK(next[1].kind == Kind::Result);
    CHECK(executor.worker_count() == 1);
}

TEST_CASE("local executor: a crashed worker is Lost with its signal and its last output", "[executor]") {
    tune::test::TempDir dir;
    LocalExecutor executor(options_for(dir, "tune_sample_faulty.so", "org.tune.sample.faulty"));
    executor.start(launch_of(dir, "00000", {{"fault", "segfault"}, {"fault_at", 2}}));
    executor.step("00000");
    executor.step("00000");
    const auto events = wait_for(executor, 3);
    CHECK(events[1].kind == Kind::Result);
    CHECK(events[2].kind == Kind::Lost);
    CHECK(events[2].request == TrialRequest::Step);
    CHECK_THAT(events[2].text, Contains("killed by signal 11") && Contains("last output:") &&
                                   Contains("faulty: segfault at iteration 2"));
    CHECK(executor.worker_count() == 0);
}

TEST_CASE("local executor: a step with no reply within step_timeout_s ends its worker, the trial is Lost",
          "[executor]") {
    tune::test::TempDir dir;
    LocalExecutor executor(options_for(dir, "tune_sample_faulty.so", "org.tune.sample.faulty", 0.5));
    executor.start(launch_of(dir, "00000", {{"fault", "hang"}, {"fault_at", 1}}));
    executor.step("00000");
    const auto events = wait_for(executor, 2);
    CHECK(events[0].kind == Kind::Started);
    CHECK(events[1].kind == Kind::Lost);
    CHECK_THAT(events[1].text, Contains("no reply to Step within step_timeout_s = 0.5 s") && Contains("killed"));
    CHECK(executor.worker_count() == 0);
}

TEST_CASE("local executor: workers of a resumed experiment log after the earlier ones", "[executor]") {
    tune::test::TempDir dir;
    std::filesystem::create_directories(dir.path() / "logs");
    std::ofstream(dir.path() / "logs" / "worker_004.log") << "an earlier run\n";
    LocalExecutor executor(options_for(dir, "tune_sample_curve.so", "org.tune.sample.curve"));
    executor.start(launch_of(dir, "00000", json::object()));
    wait_for(executor, 1);
    CHECK(std::filesystem::exists(dir.path() / "logs" / "worker_005.log"));
}

TEST_CASE("local executor: Steps queued ahead are answered in order, and none runs past a result that says done",
          "[executor]") {
    tune::test::TempDir dir;
    LocalExecutorOptions options = options_for(dir, "", "org.tune.test.finite");
    options.trainable_library = tune::test::test_plugin_dir() / "finite_trainable.so";
    LocalExecutor executor(options);
    executor.start(launch_of(dir, "00000", {{"done_at", 3}}));
    for (int i = 0; i < 6; ++i) executor.step("00000"); // all sent by the next poll, together
    const auto checkpoint = dir.path() / "trial_00000" / "checkpoint";
    std::filesystem::create_directories(checkpoint);
    executor.save("00000", checkpoint.string());
    const auto events = wait_for(executor, 8);
    CHECK(events[0].kind == Kind::Started);
    for (int i = 1; i <= 3; ++i) {
        INFO("result " << i);
        REQUIRE(events[i].kind == Kind::Result);
        CHECK(json::parse(events[i].text)["done"] == (i == 3));
    }
    for (int i = 4; i <= 6; ++i) CHECK(events[i].kind == Kind::Skipped);
    CHECK(events[7].kind == Kind::Saved); // the state of the "done" result
    std::ifstream saved(checkpoint / "finite_state.json");
    long long iteration = 0;
    saved >> iteration;
    CHECK(iteration == 3);
    executor.shutdown();
}
