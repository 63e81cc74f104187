// A learnable synthetic data set in the CIFAR-10 binary layout, made by `tune-data synth`
// through its real writer: what the CIFAR-10 trainer's tests and the command trainable's
// PyTorch sample test train on.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/test_paths.hpp"

namespace tune::test {

// dir/synth with `train` training records and `test` test records; extra goes to tune-data
// (such as {"--seed", "3"}).
inline std::filesystem::path make_synthetic_cifar(const TempDir &dir, int train, int test,
                                                  const std::vector<std::string> &extra = {}) {
    const std::filesystem::path data = dir.path() / "synth";
    std::vector<std::string> argv = {(binary_dir() / "bin" / "tune-data").string(), "synth", "--out", data.string(),
                                     "--train", std::to_string(train), "--test", std::to_string(test)};
    argv.insert(argv.end(), extra.begin(), extra.end());
    const auto made = run_program(argv);
    INFO(made.out << made.err);
    REQUIRE(made.exit_code == 0);
    return data;
}

} // namespace tune::test
