// Random search, except that "lr" is always 100, far outside any sensible space: fails
// searcher.suggestions_in_space (the sequence is still seeded, finite and restorable).
#include "tune/plugin.hpp"
#include "tune/space/variant_searcher.hpp"

namespace {

class OutOfSpaceSearcher final : public tune::space::VariantSearcher {
public:
    static constexpr const char *id = "org.tune.test.out_of_space";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Suggests lr = 100 whatever the space";
    OutOfSpaceSearcher() : VariantSearcher(tune::space::GridAxes::grid_search, "the out-of-space searcher") {}
    tune::Suggestion suggest(const std::string &trial_id) override {
        tune::Suggestion s = VariantSearcher::suggest(trial_id);
        if (s.outcome == TUNE_SUGGEST_CONFIG && s.config.contains("lr")) s.config["lr"] = 100.0;
        return s;
    }
};

} // namespace

TUNE_PLUGIN_LIBRARY(OutOfSpaceSearcher);
