// Rank 0's backend with node agents serving on threads of their own, over in-memory links:
// which ranks are nodes, the results folder check, and the agents' Setup and Quit.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <thread>

#include "core/mpi/cluster_backend.hpp"
#include "support/fake_executor.hpp"
#include "support/memory_link.hpp"
#include "support/test_paths.hpp"

using namespace tune::core;
using namespace tune::core::mpi;
using namespace tune::test;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

NodeReport report(int rank, const std::string &host, const std::string &node_key, int local_rank, double cpus,
                  std::vector<std::string> gpus = {}) {
    return {rank, host, node_key, local_rank, 1, cpus, std::move(gpus), {}};
}

// Agents serving ranks 1.. on threads until rank 0's backend tells them to quit.
class AgentThreads {
public:
    AgentThreads(MemoryNetwork &network, const std::vector<NodeReport> &reports) {
        int last_rank = 0;
        for (const auto &node : reports) last_rank = std::max(last_rank, node.rank);
        statuses_.assign(static_cast<std::size_t>(last_rank) + 1, -1);
        for (const auto &node : reports)
            threads_.emplace_back([&network, node, this] {
                FakeClock clock;
                MemoryCheckpoints disk;
                NodeAgent agent(network.link(node.rank), node, [&](const WorkerSetup &) {
                    return std::make_unique<FakeExecutor>(clock, disk, FakeTrainable{});
                });
                statuses_[static_cast<std::size_t>(node.rank)] = agent.serve();
            });
    }
    // Joins them; each one's exit status, by rank.
    std::vector<int> join() {
        for (auto &thread : threads_) thread.join();
        threads_.clear();
        return statuses_;
    }
    ~AgentThreads() {
        for (auto &thread : threads_) thread.join();
    }

private:
    std::vector<int> statuses_;
    std::vector<std::thread> threads_;
};

NodeAgent::ExecutorFactory fake_local(FakeClock &clock, MemoryCheckpoints &disk) {
    return [&](const WorkerSetup &) { return std::make_unique<FakeExecutor>(clock, disk, FakeTrainable{}); };
}

} // namespace

TEST_CASE("cluster: a node's ranks count once, named by host, with /r<rank> where nodes share a host",
          "[mpi][cluster]") {
    MemoryNetwork network(4);
    std::vector<std::tuple<int, int, RelayTag>> sent;
    std::mutex sent_mutex;
    network.on_send = [&](int from, int to, RelayTag tag, std::string &) {
        std::lock_guard<std::mutex> lock(sent_mutex);
        if (from == 0) sent.emplace_back(from, to, tag);
    };
    FakeClock clock;
    MemoryCheckpoints disk;
    AgentThreads agents(network, {report(1, "a", "rank 0", 1, 8.0), // a second rank on rank 0's node
                                  report(2, "b", "rank 2", 0, 3.0, {"0", "1"}),
                                  report(3, "b", "rank 3", 0, 3.0, {"2"})}); // --node-per-rank on host b
    {
        ClusterBackend backend(network.link(0), report(0, "a", "rank 0", 0, 8.0), fake_local(clock, disk));
        const auto nodes = backend.nodes();
        REQUIRE(nodes.size() == 3);
        CHECK(nodes[0].name == "a");
        CHECK(nodes[0].rank == 0);
        CHECK(nodes[0].cpus == 8.0);
        CHECK(nodes[1].name == "b/r2");
        CHECK(nodes[1].rank == 2);
        CHECK(nodes[1].gpu_names == std::vector<std::string>{"0", "1"});
        CHECK(nodes[2].name == "b/r3");
        CHECK(nodes[2].gpu_names == std::vector<std::string>{"2"});
        auto executor = backend.executor({});
        REQUIRE(executor);
    } // the backend tells every agent to quit
    const auto statuses = agents.join();
    CHECK(statuses == std::vector<int>{-1, 0, 0, 0});
    std::lock_guard<std::mutex> lock(sent_mutex);
    auto count = [&](int to, RelayTag tag) {
        return std::count(sent.begin(), sent.end(), std::make_tuple(0, to, tag));
    };
    CHECK(count(1, RelayTag::Setup) == 0); // rank 1 runs no trials: rank 0 runs its node's
    CHECK(count(2, RelayTag::Setup) == 1);
    CHECK(count(3, RelayTag::Setup) == 1);
    for (int rank : {1, 2, 3}) CHECK(count(rank, RelayTag::Quit) == 1);
}

TEST_CASE("cluster: the results folder check passes when every node reads the probe, and names each node that "
          "cannot",
          "[mpi][cluster]") {
    TempDir folder;
    MemoryNetwork network(3);
    FakeClock clock;
    MemoryCheckpoints disk;
    AgentThreads agents(network, {report(1, "b", "rank 1", 0, 1.0), report(2, "c", "rank 2", 0, 1.0)});
    ClusterBackend backend(network.link(0), report(0, "a", "rank 0", 0, 1.0), fake_local(clock, disk));

    CHECK_FALSE(backend.unshared_folder(folder.path()));
    CHECK(fs::is_empty(folder.path())); // the probe file is gone again

    // On node c the same path names another folder (a local disk, not the shared one).
    network.on_send = [&](int, int to, RelayTag tag, std::string &bytes) {
        if (to != 2 || tag != RelayTag::Probe) return;
        ProbeRequest probe = decode_probe(bytes);
        probe.path = (folder.path() / "elsewhere" / fs::path(probe.path).filename()).string();
        bytes = encode_probe(probe);
    };
    const auto problem = backend.unshared_folder(folder.path());
    REQUIRE(problem);
    CHECK_THAT(*problem, Contains("the results folder " + folder.path().string() + " is not shared with every node") &&
                             Contains("rank 2 on c: cannot read " + (folder.path() / "elsewhere").string()) &&
                             Contains("experiment.results_dir"));
    CHECK_THAT(*problem, !Contains("rank 1"));

    // Node c has a folder of that name, but it is not rank 0's.
    fs::create_directories(folder.path() / "elsewhere");
    network.on_send = [&](int, int to, RelayTag tag, std::string &bytes) {
        if (to != 2 || tag != RelayTag::Probe) return;
        ProbeRequest probe = decode_probe(bytes);
        probe.path = (folder.path() / "elsewhere" / fs::path(probe.path).filename()).string();
        std::ofstream(probe.path) << "another run's probe";
        bytes = encode_probe(probe);
    };
    CHECK_THAT(backend.unshared_folder(folder.path()).value_or(""),
               Contains("rank 2 on c") && Contains("holds something else than rank 0 wrote"));
}

TEST_CASE("cluster: ranks that never report their node are named once the wait is over", "[mpi][cluster]") {
    MemoryNetwork network(3);
    FakeClock clock;
    MemoryCheckpoints disk;
    network.inject(1, 0, RelayTag::Hello, encode_node_report(report(1, "b", "rank 1", 0, 1.0)));
    CHECK_THROWS_WITH(ClusterBackend(network.link(0), report(0, "a", "rank 0", 0, 1.0), fake_local(clock, disk), 0.05),
                      Contains("ranks 2 did not report their node within 0.05 s"));
}
