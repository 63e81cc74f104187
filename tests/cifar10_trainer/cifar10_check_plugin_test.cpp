// `tune check-plugin` passes the CIFAR-10 LibTorch trainable on a tiny synthetic data set.
// Built only when the tune_cifar10 target exists (TUNE_BUILD_TORCH_PLUGINS=ON), as every test
// under tests/cifar10_trainer.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "conformance/check_plugin_support.hpp"
#include "support/synthetic_cifar.hpp"

using Catch::Matchers::Contains;
using namespace tune::test;

TEST_CASE("check-plugin: the CIFAR-10 trainable passes on a tiny synthetic data set", "[conformance][cifar10]") {
    TempDir dir;
    const auto data = make_synthetic_cifar(dir, 200, 40, {"--seed", "3"});
    nlohmann::json config = {{"l1", 8}, {"l2", 4}, {"batch_size", 16}, {"lr", 0.01}, {"data_dir", data.string()}};
    CheckRun run = check_plugin({shipped("tune_cifar10.so"), "--config", config.dump(), "--metric", "loss",
                                 "--steps", "2", "--timeout", "240"});
    expect_all_pass(run, trainable_checks());
}
