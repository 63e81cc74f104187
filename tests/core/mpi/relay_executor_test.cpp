// Rank 0's relay and the node agents in one process, over in-memory links, each agent running
// a fake executor: which rank runs what, what comes back, and what is dropped. Every step is
// driven by hand (poll, serve_once), so the interleavings are exact.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>

#include "core/mpi/node_agent.hpp"
#include "core/mpi/relay_executor.hpp"
#include "support/fake_executor.hpp"
#include "support/memory_link.hpp"

using namespace tune::core;
using namespace tune::core::mpi;
using namespace tune::test;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

FakeTrainable halving() {
    return {[](const json &, long long iteration) { return json{{"loss", 1.0 / static_cast<double>(iteration)}}; }, 1.0};
}

// One agent rank: a NodeAgent whose executor is a FakeExecutor. Not movable (the factory
// holds `this`).
struct AgentRank {
    AgentRank(MemoryNetwork &network, int rank)
        : agent(network.link(rank), NodeReport{rank, "host", "rank " + std::to_string(rank), 0, 1, 1.0, {}, {}},
                [this](const WorkerSetup &) {
                    auto fake = std::make_unique<FakeExecutor>(clock, disk, halving());
                    executor = fake.get();
                    return fake;
                }) {}
    AgentRank(const AgentRank &) = delete;
    AgentRank &operator=(const AgentRank &) = delete;
    FakeClock clock;
    MemoryCheckpoints disk;
    FakeExecutor *executor = nullptr;
    NodeAgent agent;
};

// Rank 0's relay with agents on ranks 1 and 2, each already sent Setup.
struct Relay {
    Relay() : network(3) {
        for (int rank : {1, 2}) agents.push_back(std::make_unique<AgentRank>(network, rank));
        auto fake = std::make_unique<FakeExecutor>(clock, disk, halving());
        local = fake.get();
        for (int rank : {1, 2}) network.link(0).send(rank, RelayTag::Setup, encode_worker_setup({}));
        relay = std::make_unique<RelayExecutor>(std::move(fake), network.link(0), std::vector<int>{1, 2});
    }
    AgentRank &agent(int rank) { return *agents[static_cast<std::size_t>(rank - 1)]; }
    // Rounds of rank 0 and the agents until `count` events have come back (or 20 rounds).
    std::vector<TrialEvent> collect(std::size_t count) {
        std::vector<TrialEvent> events;
        for (int round = 0; round < 20 && events.size() < count; ++round) {
            relay->poll(0.0, events);
            for (auto &agent : agents) REQUIRE(agent->agent.serve_once(0.0));
        }
        return events;
    }

    MemoryNetwork network;
    std::vector<std::unique_ptr<AgentRank>> agents;
    FakeClock clock;
    MemoryCheckpoints disk;
    FakeExecutor *local = nullptr;
    std::unique_ptr<RelayExecutor> relay;
};

TrialLaunch launch_on(const std::string &trial_id, int rank) {
    TrialLaunch launch;
    launch.trial_id = trial_id;
    launch.allocation.rank = rank;
    launch.allocation.node = static_cast<std::size_t>(rank);
    launch.allocation.node_name = "host/r" + std::to_string(rank);
    launch.allocation.cpu = 1.0;
    launch.trial_dir = "/exp/trial_" + trial_id;
    launch.config = {{"lr", 0.1}};
    return launch;
}

std::string describe(const TrialEvent &event) {
    static const char *kinds[] = {"Started", "Result", "Saved", "Evaluated", "Failed", "Skipped", "Lost"};
    std::string text = event.trial_id + " " + kinds[static_cast<int>(event.kind)];
    if (event.kind == TrialEvent::Kind::Result) text += " " + json::parse(event.text)["loss"].dump();
    return text;
}

std::map<std::string, std::vector<std::string>> by_trial(const std::vector<TrialEvent> &events) {
    std::map<std::string, std::vector<std::string>> trials;
    for (const auto &event : events) trials[event.trial_id].push_back(describe(event));
    return trials;
}

bool has(const std::vector<std::string> &journal, const std::string &line) {
    return std::find(journal.begin(), journal.end(), line) != journal.end();
}

} // namespace

TEST_CASE("relay: each trial runs on its allocation's rank, and its events come back in order under its own id",
          "[mpi][relay]") {
    Relay relay;
    relay.relay->start(launch_on("A", 1));
    relay.relay->start(launch_on("B", 2));
    relay.relay->start(launch_on("C", 0));
    for (const char *id : {"A", "B", "C"}) {
        relay.relay->step(id);
        relay.relay->step(id);
    }
    const auto trials = by_trial(relay.collect(9));
    for (const char *id : {"A", "B", "C"}) {
        const std::string name(id);
        CHECK(trials.at(name) == std::vector<std::string>{name + " Started", name + " Result 1.0", name + " Result 0.5"});
    }
    // On the wire a remote trial's id carries its run: "A#0".
    CHECK(has(relay.agent(1).executor->journal, "start A#0"));
    CHECK(has(relay.agent(1).executor->journal, "step A#0 -> 2"));
    CHECK(has(relay.agent(2).executor->journal, "step B#1 -> 2"));
    CHECK(has(relay.local->journal, "step C -> 2"));
    CHECK(relay.agent(1).executor->journal.size() == 3); // A only
    CHECK(relay.local->journal.size() == 3);             // C only
}

TEST_CASE("relay: the launch reaches the agent whole: allocation, folder, config, seed, checkpoint", "[mpi][relay]") {
    TrialLaunch launch = launch_on("A", 1);
    launch.allocation.gpu = 0.5;
    launch.allocation.devices = {1};
    launch.allocation.gpu_shares = {0.5};
    launch.allocation.cuda_visible_devices = "GPU-1";
    launch.seed = 1234567890123ull;
    launch.restore_from = "/exp/trial_A/checkpoint_000004";
    launch.config = {{"lr", 0.01}, {"model", {{"width", 64}}}};
    const TrialLaunch copy = decode_launch(encode_launch(launch));
    CHECK(copy.trial_id == "A");
    CHECK(copy.allocation.rank == 1);
    CHECK(copy.allocation.node_name == "host/r1");
    CHECK(copy.allocation.devices == std::vector<int>{1});
    CHECK(copy.allocation.gpu_shares == std::vector<double>{0.5});
    CHECK(copy.allocation.cuda_visible_devices == "GPU-1");
    CHECK(copy.allocation.threads() == launch.allocation.threads());
    CHECK(copy.trial_dir == launch.trial_dir);
    CHECK(copy.config == launch.config);
    CHECK(copy.seed == launch.seed);
    CHECK(copy.restore_from == launch.restore_from);
}

TEST_CASE("relay: events of a released run still in flight are dropped, not given to the trial's next run",
          "[mpi][relay]") {
    Relay relay;
    std::vector<TrialEvent> events;
    relay.relay->start(launch_on("A", 1));
    relay.relay->step("A");
    relay.relay->poll(0.0, events);          // the Start and the Step leave
    REQUIRE(relay.agent(1).agent.serve_once(0.0)); // Started and a result come back...
    relay.relay->release("A");               // ...after rank 0 released the trial
    relay.relay->start(launch_on("A", 1));   // and started it again (a pause and resume)
    relay.relay->poll(0.0, events);
    CHECK(events.empty()); // the first run's Started and result are not the second run's

    const auto trials = by_trial(relay.collect(1));
    CHECK(trials.at("A") == std::vector<std::string>{"A Started"});
    CHECK(has(relay.agent(1).executor->journal, "start A#1"));
}

TEST_CASE("relay: a worker lost on an agent is Lost on rank 0, and the trial can then start on another rank",
          "[mpi][relay]") {
    Relay relay;
    relay.relay->start(launch_on("A", 1));
    relay.relay->step("A");
    relay.relay->step("A");
    std::vector<TrialEvent> none;
    relay.relay->poll(0.0, none);
    REQUIRE(relay.agent(1).agent.serve_once(0.0)); // Setup made its executor; the trial started
    relay.agent(1).executor->lose_at("A#0", 2);
    const auto first = by_trial(relay.collect(3));
    CHECK(first.at("A") == std::vector<std::string>{"A Started", "A Result 1.0", "A Lost"});

    relay.relay->step("A"); // forgotten after Lost: ignored, as a local executor ignores it
    relay.relay->start(launch_on("A", 2));
    relay.relay->step("A");
    const auto second = by_trial(relay.collect(2));
    CHECK(second.at("A") == std::vector<std::string>{"A Started", "A Result 1.0"});
    CHECK(has(relay.agent(2).executor->journal, "start A#1"));
}

TEST_CASE("relay: an agent that cannot read what it was sent stops, and rank 0's poll names the rank and why",
          "[mpi][relay]") {
    MemoryNetwork network(2);
    AgentRank agent(network, 1);
    network.inject(0, 1, RelayTag::Setup, encode_worker_setup({}));
    network.inject(0, 1, RelayTag::Requests, std::string{'\x02', 5, 0, 0, 0, 'A', '#'}); // a Step whose id is cut short
    CHECK(agent.agent.serve() == 1);
    auto hello = network.link(0).try_receive();
    REQUIRE(hello);
    CHECK(hello->tag == RelayTag::Hello);

    FakeClock clock;
    MemoryCheckpoints disk;
    RelayExecutor relay(std::make_unique<FakeExecutor>(clock, disk, halving()), network.link(0), {1});
    std::vector<TrialEvent> events;
    CHECK_THROWS_WITH(relay.poll(0.0, events),
                      Contains("the node agent on rank 1 stopped") && Contains("corrupt Requests message"));
}

TEST_CASE("relay: shutdown and abort reach every agent, and the agents leave on Quit", "[mpi][relay]") {
    Relay relay;
    relay.relay->start(launch_on("A", 1));
    relay.relay->step("A");
    relay.collect(2);
    relay.relay->shutdown();
    relay.relay->abort();
    for (int rank : {1, 2}) relay.network.link(0).send(rank, RelayTag::Quit, {});
    for (int rank : {1, 2}) {
        // Shutdown, Abort, then Quit: the agent handles all three in one round and leaves.
        CHECK_FALSE(relay.agent(rank).agent.serve_once(0.0));
    }
    relay.relay->step("A"); // after shutdown the trial is forgotten: nothing is sent
    std::vector<TrialEvent> events;
    relay.relay->poll(0.0, events);
    CHECK(events.empty());
    CHECK_FALSE(relay.network.link(1).try_receive());
}

TEST_CASE("relay: a thread update reaches the trial's own rank, between its steps", "[mpi][relay][spare_cpus]") {
    Relay relay;
    relay.relay->start(launch_on("A", 1));
    relay.relay->start(launch_on("B", 0)); // rank 0's own node
    relay.relay->step("A");
    relay.relay->set_threads("A", 3);
    relay.relay->step("A");
    relay.relay->set_threads("B", 2);
    relay.collect(5); // A: Started, 2 results; B: Started
    const auto &remote = relay.agent(1).executor->journal;
    const auto at = [&](const std::string &line) { return std::find(remote.begin(), remote.end(), line) - remote.begin(); };
    REQUIRE(at("threads A#0 -> 3") < static_cast<long>(remote.size()));
    CHECK(at("step A#0 -> 1") < at("threads A#0 -> 3"));
    CHECK(at("threads A#0 -> 3") < at("step A#0 -> 2"));
    CHECK(has(relay.local->journal, "threads B -> 2"));
    CHECK_FALSE(has(relay.agent(2).executor ? relay.agent(2).executor->journal : std::vector<std::string>{}, "threads A#0 -> 3"));
    CHECK_THROWS_WITH(thread_count("0"), Contains("thread count '0'"));
    CHECK_THROWS_WITH(thread_count("2x"), Contains("thread count '2x'"));
}
