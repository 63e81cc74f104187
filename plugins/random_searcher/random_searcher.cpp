// org.tune.searcher.random: random search with grid expansion, as Ray Tune's
// BasicVariantGenerator does it. num_samples rounds, each over every grid_search point in
// order; every other domain is sampled afresh for each config from the seeded generator.
// Proposes num_samples × grid points configs, then finishes. Takes no options.
#include "tune/plugin.hpp"
#include "tune/space/variant_searcher.hpp"

namespace {

class RandomSearcher final : public tune::space::VariantSearcher {
public:
    static constexpr const char *id = "org.tune.searcher.random";
    static constexpr const char *version = "1.0.0";
    static constexpr const char *description =
        "Random search: num_samples x grid_search points, other domains sampled (Ray's BasicVariantGenerator)";
    static constexpr const char *example_config = R"({"metric": "loss", "mode": "min", "seed": 1, "num_samples": 4,
        "space": {"lr": {"loguniform": [0.0001, 0.1]}, "batch_size": {"choice": [2, 4, 8, 16]},
                  "optimizer": {"grid_search": ["sgd", "adam"]}}, "options": {}})";

    RandomSearcher() : VariantSearcher(tune::space::GridAxes::grid_search, "the random searcher") {}
};

} // namespace

TUNE_PLUGIN_LIBRARY(RandomSearcher);
