// Random search that answers "finished" once, then starts suggesting again: fails
// searcher.finished_not_ready.
#include "tune/plugin.hpp"
#include "tune/space/variant_searcher.hpp"

namespace {

class UnfinishedSearcher final : public tune::space::VariantSearcher {
public:
    static constexpr const char *id = "org.tune.test.unfinished";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Suggests again after finishing";
    UnfinishedSearcher() : VariantSearcher(tune::space::GridAxes::grid_search, "the unfinished searcher") {}
    tune::Suggestion suggest(const std::string &trial_id) override {
        tune::Suggestion s = VariantSearcher::suggest(trial_id);
        if (s.outcome != TUNE_SUGGEST_FINISHED) return s;
        if (!said_finished_) {
            said_finished_ = true;
            return s;
        }
        return tune::Suggestion::with_config({{"lr", 0.01}});
    }

private:
    bool said_finished_ = false;
};

} // namespace

TUNE_PLUGIN_LIBRARY(UnfinishedSearcher);
