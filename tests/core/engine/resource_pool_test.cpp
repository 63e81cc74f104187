#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

#include "core/engine/resource_pool.hpp"
#include "core/state/experiment_errors.hpp"

using namespace tune::core;
using Catch::Matchers::Contains;

namespace {

std::vector<NodeResources> three_nodes() {
    return {{"a", 8.0, {"0"}, 0, {}}, {"b", 4.0, {"0", "1"}, 1, {}}, {"c", 4.0, {}, 2, {"GPU-c0", "GPU-c1"}}};
}

} // namespace

TEST_CASE("resources: CPUs limit how many trials fit", "[resources]") {
    ResourcePool pool(2.0, 0);
    auto a = pool.try_allocate({1.0, 0.0});
    auto b = pool.try_allocate({1.0, 0.0});
    REQUIRE(a);
    REQUIRE(b);
    CHECK_FALSE(pool.try_allocate({1.0, 0.0}));
    CHECK(pool.used_cpus() == Approx(2.0));
    pool.release(*a);
    CHECK(pool.try_allocate({1.0, 0.0}));
    CHECK(a->threads() == 1);
    CHECK(a->cuda_visible_devices.empty());
}

TEST_CASE("resources: fractional GPUs pack onto one device before using the next", "[resources]") {
    ResourcePool pool(16.0, 2);
    std::vector<Allocation> quarter;
    for (int i = 0; i < 4; ++i) {
        auto a = pool.try_allocate({1.0, 0.25});
        REQUIRE(a);
        CHECK(a->devices == std::vector<int>{0}); // best fit keeps filling device 0
        quarter.push_back(*a);
    }
    auto fifth = pool.try_allocate({1.0, 0.25});
    REQUIRE(fifth);
    CHECK(fifth->cuda_visible_devices == "1");
    // A whole-GPU trial no longer fits: device 1 is partly taken.
    CHECK_FALSE(pool.try_allocate({1.0, 1.0}));
    pool.release(*fifth);
    auto whole = pool.try_allocate({1.0, 1.0});
    REQUIRE(whole);
    CHECK(whole->cuda_visible_devices == "1");
    CHECK(pool.used_gpus() == Approx(2.0));
}

TEST_CASE("resources: 0.1 GPU ten times fills one device exactly", "[resources]") {
    ResourcePool pool(16.0, 1);
    for (int i = 0; i < 10; ++i) REQUIRE(pool.try_allocate({1.0, 0.1}));
    CHECK_FALSE(pool.try_allocate({1.0, 0.1}));
}

TEST_CASE("resources: multi-GPU trials take whole devices", "[resources]") {
    ResourcePool pool(8.0, 3);
    auto two = pool.try_allocate({2.0, 2.0});
    REQUIRE(two);
    CHECK(two->cuda_visible_devices == "0,1");
    CHECK(two->threads() == 2);
    CHECK_FALSE(pool.try_allocate({2.0, 2.0}));
}

TEST_CASE("resources: requests larger than the machine can never fit", "[resources]") {
    ResourcePool pool(2.0, 0);
    CHECK(pool.fits_empty_pool({2.0, 0.0}));
    CHECK_FALSE(pool.fits_empty_pool({3.0, 0.0}));
    CHECK_FALSE(pool.fits_empty_pool({1.0, 0.5}));
}

TEST_CASE("resources: device indices map through the host's own CUDA_VISIBLE_DEVICES", "[resources]") {
    const char *saved = std::getenv("CUDA_VISIBLE_DEVICES");
    const std::string previous = saved ? saved : "";
    ::setenv("CUDA_VISIBLE_DEVICES", "3,GPU-5e1a", 1);
    ResourcePool pool(8.0, 2);
    auto first = pool.try_allocate({1.0, 1.0});
    auto second = pool.try_allocate({1.0, 0.5});
    REQUIRE(first);
    REQUIRE(second);
    CHECK(first->cuda_visible_devices == "3");
    CHECK(second->cuda_visible_devices == "GPU-5e1a");
    ::unsetenv("CUDA_VISIBLE_DEVICES");
    ResourcePool unnamed(8.0, 2); // without the variable, devices go by their indices
    unnamed.try_allocate({1.0, 1.0});
    auto index = unnamed.try_allocate({1.0, 0.5});
    REQUIRE(index);
    CHECK(index->cuda_visible_devices == "1");
    if (saved) ::setenv("CUDA_VISIBLE_DEVICES", previous.c_str(), 1);
}

TEST_CASE("resources: an allocation names its node, a trial fits on one node, not across two", "[resources]") {
    ResourcePool pool({{"node-a", 2.0, {"0"}, 0, {}}, {"node-b", 4.0, {"0", "1"}, 0, {}}});
    CHECK(pool.total_cpus() == Approx(6.0));
    CHECK(pool.total_gpus() == 3);
    CHECK(pool.fits_empty_pool({4.0, 2.0}));
    CHECK_FALSE(pool.fits_empty_pool({5.0, 0.0})); // 6 CPUs in all, but at most 4 on one node
    CHECK_FALSE(pool.fits_empty_pool({1.0, 3.0}));

    auto first = pool.try_allocate({2.0, 1.0});
    REQUIRE(first);
    CHECK(first->node == 0);
    CHECK(first->node_name == "node-a");
    auto second = pool.try_allocate({1.0, 0.5}); // node-a is full: the next node, its first device
    REQUIRE(second);
    CHECK(second->node_name == "node-b");
    CHECK(second->cuda_visible_devices == "0");
    auto third = pool.try_allocate({3.0, 1.0});
    REQUIRE(third);
    CHECK(third->node_name == "node-b");
    CHECK(third->cuda_visible_devices == "1");
    CHECK_FALSE(pool.try_allocate({1.0, 0.0}));
    pool.release(*first);
    auto again = pool.try_allocate({1.0, 0.0});
    REQUIRE(again);
    CHECK(again->node_name == "node-a");
    CHECK(pool.used_cpus() == Approx(5.0));
}

TEST_CASE("resources: an allocation names the rank that runs its node", "[resources]") {
    ResourcePool pool({{"a", 1.0, {}, 0, {}}, {"b", 1.0, {}, 3, {}}});
    CHECK(pool.try_allocate({1.0, 0.0})->rank == 0);
    CHECK(pool.try_allocate({1.0, 0.0})->rank == 3);
}

TEST_CASE("resources: per-node settings apply to every node, and total_* only to one machine", "[resources]") {
    Experiment experiment;
    CHECK(experiment_nodes(three_nodes(), experiment).size() == 3); // as detected

    experiment.cpus_per_node = 2.0;
    experiment.gpus_per_node = 1.0;
    Experiment two_gpus;
    two_gpus.gpus_per_node = 2.0;
    // Named by index past what CUDA_VISIBLE_DEVICES names.
    CHECK(experiment_nodes(three_nodes(), two_gpus)[0].gpu_names == std::vector<std::string>{"0", "1"});
    auto nodes = experiment_nodes(three_nodes(), experiment);
    for (const auto &node : nodes) CHECK(node.cpus == 2.0);
    CHECK(nodes[1].gpu_names == std::vector<std::string>{"0"}); // the first of its own
    CHECK(nodes[2].gpu_names == std::vector<std::string>{"GPU-c0"}); // none detected: its CUDA_VISIBLE_DEVICES name
    CHECK(nodes[0].gpu_names == std::vector<std::string>{"0"});

    experiment.trials_on_controller = false;
    nodes = experiment_nodes(three_nodes(), experiment);
    REQUIRE(nodes.size() == 2);
    CHECK(nodes[0].name == "b");
    CHECK(nodes[1].name == "c");
    CHECK(experiment_nodes({three_nodes()[0]}, experiment).size() == 1); // one machine: it runs the trials

    Experiment one_machine;
    one_machine.total_cpus = 3.0;
    one_machine.cpus_per_node = 5.0; // total_cpus wins on one machine
    CHECK(experiment_nodes({three_nodes()[0]}, one_machine)[0].cpus == 3.0);
    CHECK_THROWS_AS(experiment_nodes(three_nodes(), one_machine), ExperimentSetupError);
    CHECK_THROWS_WITH(experiment_nodes(three_nodes(), one_machine),
                      Contains("experiment.total_cpus describes one machine, but this run has 3 nodes") &&
                          Contains("experiment.cpus_per_node"));
}
