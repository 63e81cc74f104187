// org.tune.searcher.grid: exhaustive grid search. Enumerates the cross product of every
// grid_search and choice parameter (sorted by key path, the last varying fastest), repeated
// num_samples times; the remaining domains are sampled from the seeded generator. Proposes
// num_samples × grid points configs, then finishes. Takes no options.
#include "tune/plugin.hpp"
#include "tune/space/variant_searcher.hpp"

namespace {

class GridSearcher final : public tune::space::VariantSearcher {
public:
    static constexpr const char *id = "org.tune.searcher.grid";
    static constexpr const char *version = "1.0.0";
    static constexpr const char *description =
        "Grid search: the cross product of grid_search and choice values, num_samples times";
    static constexpr const char *example_config = R"({"metric": "loss", "mode": "min", "seed": 1, "num_samples": 1,
        "space": {"lr": {"grid_search": [0.1, 0.01]}, "units": {"choice": [8, 16]}, "dropout": {"uniform": [0, 0.5]}},
        "options": {}})";

    GridSearcher() : VariantSearcher(tune::space::GridAxes::grid_search_and_choice, "the grid searcher") {}
};

} // namespace

TUNE_PLUGIN_LIBRARY(GridSearcher);
