// `tune check-plugin tune_cifar10.so` passes the CIFAR-10 LibTorch trainable with no other
// argument: its example config trains on a small synthetic set that the trainer writes into
// each trial's folder and reads back through the CIFAR-10 reader. Built only when the
// tune_cifar10 target exists (TUNE_BUILD_TORCH_PLUGINS=ON), as every test under
// tests/cifar10_trainer.
#include <catch2/catch.hpp>

#include "conformance/check_plugin_support.hpp"

using Catch::Matchers::Contains;
using namespace tune::test;

TEST_CASE("check-plugin: the CIFAR-10 trainable passes out of the box, on its synthetic example data",
          "[conformance][cifar10]") {
    CheckRun run = check_plugin({shipped("tune_cifar10.so")});
    expect_all_pass(run, trainable_checks());
    CHECK_THAT(run.command.out, Contains("[org.tune.cifar10] config from its example config") &&
                                    Contains(R"("synthetic_data":{"seed":3,"test":40,"train":200})"));
}
