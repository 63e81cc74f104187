// A real tune-worker process running the sample trainable over the protocol.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/worker/worker_process.hpp"
#include "support/file_contents.hpp"
#include "support/test_paths.hpp"

using namespace tune::core;
using nlohmann::json;

namespace {

Message next_reply(WorkerProcess &worker) {
    auto reply = worker.next_reply(10.0);
    if (!reply && worker.closed()) FAIL("worker closed its pipe: " << worker.wait_and_describe());
    if (!reply) FAIL("no reply within 10 s");
    return *reply;
}

Message start_request(const tune::test::TempDir &dir, const std::string &config, const std::string &restore = "") {
    return encode_start_trial({(tune::test::plugin_dir() / "tune_sample_curve.so").string(), "org.tune.sample.curve",
                               json::parse(config), "00000", dir.path().string(), 1, 0.0, 3, restore});
}

std::unique_ptr<WorkerProcess> spawn_worker(const tune::test::TempDir &dir) {
    WorkerLaunch launch{tune::test::binary_dir() / "bin" / "tune-worker", dir.path() / "worker.log", {"TUNE_TEST=1"}};
    auto worker = WorkerProcess::spawn(launch);
    auto ready = next_reply(*worker);
    REQUIRE(ready.type == MessageType::Ready);
    CHECK(json::parse(ready.payload).at("pid") == worker->pid());
    return worker;
}

} // namespace

TEST_CASE("worker: starts a trial, steps, saves and is reused for the next trial", "[worker]") {
    tune::test::TempDir dir;
    auto worker = spawn_worker(dir);
    REQUIRE(worker->send(start_request(dir, R"({"noise":0.0,"rate":1.0})")));
    CHECK(next_reply(*worker).type == MessageType::Ok);
    REQUIRE(worker->send({MessageType::Step, {}}));
    auto result = next_reply(*worker);
    REQUIRE(result.type == MessageType::Result);
    CHECK(json::parse(result.payload).at("loss").get<double>() == Approx(0.09 + 0.01 + std::exp(-1.0)));

    const auto checkpoint = dir.path() / "checkpoint";
    std::filesystem::create_directories(checkpoint);
    REQUIRE(worker->send(checkpoint_request(MessageType::Save, checkpoint.string())));
    CHECK(next_reply(*worker).type == MessageType::Ok);
    CHECK(std::filesystem::exists(checkpoint / "curve_state.json"));

    // Same process, next trial, restored from the checkpoint: iteration 2 follows.
    REQUIRE(worker->send(start_request(dir, R"({"noise":0.0,"rate":1.0})", checkpoint.string())));
    CHECK(next_reply(*worker).type == MessageType::Ok);
    REQUIRE(worker->send({MessageType::Step, {}}));
    CHECK(json::parse(next_reply(*worker).payload).at("loss").get<double>() == Approx(0.1 + std::exp(-2.0)));
    worker->shutdown();
    CHECK(worker->wait_and_describe() == "exited with status 0");
}

TEST_CASE("worker: plugin errors come back as Error replies and the worker lives on", "[worker]") {
    tune::test::TempDir dir;
    auto worker = spawn_worker(dir);
    REQUIRE(worker->send(start_request(dir, R"({"rate":"fast"})")));
    auto error = next_reply(*worker);
    REQUIRE(error.type == MessageType::Error);
    CHECK_THAT(decode_error(error.payload).message, Catch::Contains("'rate' must be a number"));
    REQUIRE(worker->send({MessageType::Step, {}}));
    CHECK(next_reply(*worker).type == MessageType::Error); // no trial is set up
    REQUIRE(worker->send(start_request(dir, "{}")));
    CHECK(next_reply(*worker).type == MessageType::Ok);
}

TEST_CASE("worker: a killed worker is seen as closed, with its signal", "[worker]") {
    tune::test::TempDir dir;
    auto worker = spawn_worker(dir);
    worker->kill();
    CHECK_THAT(worker->wait_and_describe(), Catch::Contains("killed by signal 9"));
}

// The worker runs on jemalloc where the build links it (TUNE_WORKER_JEMALLOC); the host never
// does, so neither do the programs it or the command trainable start.
TEST_CASE("worker: the worker has the build's allocator and the host keeps the system's", "[worker]") {
    tune::test::TempDir dir;
    auto worker = spawn_worker(dir);
    const std::string maps = tune::test::read_text("/proc/" + std::to_string(worker->pid()) + "/maps");
#ifdef TUNE_WORKER_JEMALLOC
    CHECK(maps.find("libjemalloc") != std::string::npos);
#else
    CHECK(maps.find("libjemalloc") == std::string::npos);
#endif
    CHECK(maps.find("libc.so") != std::string::npos); // the maps were read
    worker->shutdown();
    CHECK(worker->wait_and_describe() == "exited with status 0");

    // The dynamic loader lists what the host binary loads (what ldd prints) and exits.
    const auto host = tune::test::run_program({tune::test::tune_exe().string()}, {"LD_TRACE_LOADED_OBJECTS=1"});
    CHECK(host.exit_code == 0);
    CHECK_THAT(host.out, Catch::Matchers::Contains("libc.so"));
    CHECK(host.out.find("jemalloc") == std::string::npos);
}

// UpdateContext reaches the trainable's update_context between steps; a trainable that declines
// it keeps its count, and the reply is Ok either way (the trial goes on).
TEST_CASE("worker: UpdateContext changes the running trial's thread count from its next step", "[worker][spare_cpus]") {
    for (const bool keeps : {false, true}) {
        INFO("keeps_threads = " << keeps);
        tune::test::TempDir dir;
        auto worker = spawn_worker(dir);
        REQUIRE(worker->send(update_context_request(4))); // no trial yet: nothing to update
        CHECK(next_reply(*worker).type == MessageType::Ok);
        REQUIRE(worker->send(encode_start_trial({(tune::test::test_plugin_dir() / "thread_count_trainable.so").string(),
                                                 "org.tune.test.threads", json{{"keeps_threads", keeps}}, "00000",
                                                 dir.path().string(), 1, 0.0, 3, ""})));
        CHECK(next_reply(*worker).type == MessageType::Ok);
        const auto threads_of_next_step = [&] {
            REQUIRE(worker->send({MessageType::Step, {}}));
            const Message result = next_reply(*worker);
            REQUIRE(result.type == MessageType::Result);
            return json::parse(result.payload).at("threads").get<unsigned>();
        };
        CHECK(threads_of_next_step() == 1);
        REQUIRE(worker->send(update_context_request(2)));
        CHECK(next_reply(*worker).type == MessageType::Ok);
        CHECK(threads_of_next_step() == (keeps ? 1u : 2u));
        worker->shutdown();
        CHECK(worker->wait_and_describe() == "exited with status 0");
    }
}
