// `tune check-plugin` passes org.tune.searcher.tpe on a space it can model, and fails it on a
// space with a grid_search, which TPE refuses at setup, naming the key.
#include <catch2/catch.hpp>

#include "conformance/check_plugin_support.hpp"

using Catch::Matchers::Contains;
using namespace tune::test;

namespace {

CheckRun check_tpe(const std::string &config) {
    return check_plugin({shipped("tune_tpe_searcher.so"), "--config", config});
}

} // namespace

TEST_CASE("tpe conformance: check-plugin passes with every kind of domain and sample_from") {
    // n_startup_trials 5: most of the 40 configs come from TPE, also across the save/restore check.
    expect_all_pass(check_tpe(R"JSON({"metric": "loss", "mode": "min", "seed": 7, "num_samples": 40,
        "space": {"lr": {"loguniform": [1e-4, 1e-1]}, "batch_size": {"choice": [16, 32, 64]},
                  "layers": {"randint": [1, 5]}, "dropout": {"quniform": [0, 0.5, 0.05]},
                  "init": {"randn": [0, 0.1]}, "width": {"qlograndint": [8, 512, 8]},
                  "model": {"l1": {"sample_from": "2 ** randint(2, 9)"}, "l2": {"sample_from": "model.l1 / 2"}}},
        "options": {"n_startup_trials": 5}})JSON"),
                    searcher_checks());
}

TEST_CASE("tpe conformance: check-plugin passes maximising with multivariate TPE") {
    expect_all_pass(check_tpe(R"JSON({"metric": "acc", "mode": "max", "seed": 3, "num_samples": 25,
        "space": {"x": {"uniform": [-1, 1]}, "k": {"qrandint": [0, 100, 5]}, "opt": {"choice": ["sgd", "adam"]}},
        "options": {"n_startup_trials": 4, "multivariate": true}})JSON"), searcher_checks());
}

TEST_CASE("tpe conformance: a space with a grid_search is refused, naming the key") {
    const CheckRun run = check_tpe(R"JSON({"metric": "loss", "mode": "min", "seed": 7, "num_samples": 6,
        "space": {"lr": {"loguniform": [1e-4, 1e-1]}, "activation": {"grid_search": ["relu", "tanh"]}},
        "options": {}})JSON");
    INFO(run.command.out << run.command.err);
    CHECK(run.failed.count("searcher.suggestions_in_space") == 1);
    CHECK_THAT(run.command.out, Contains("grid_search cannot be modelled by TPE"));
    CHECK(run.command.exit_code != 0);
}
