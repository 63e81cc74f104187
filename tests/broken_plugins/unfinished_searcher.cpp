// Random search that answers "finished" once, then answers something else when asked again.
// Built twice; each fails searcher.finished_not_ready:
//  - unfinished_searcher (UNKNOWN_OUTCOME 0) suggests a config again;
//  - unknown_outcome_searcher (UNKNOWN_OUTCOME 1) answers outcome 7, which is no
//    TUNE_SUGGEST_* constant: the host refuses it, naming the value and the call.
#include "tune/plugin.hpp"
#include "tune/space/variant_searcher.hpp"

namespace {

class UnfinishedSearcher final : public tune::space::VariantSearcher {
public:
    static constexpr const char *id = UNKNOWN_OUTCOME ? "org.tune.test.unknown_outcome" : "org.tune.test.unfinished";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description =
        UNKNOWN_OUTCOME ? "Answers outcome 7 after finishing" : "Suggests again after finishing";
    UnfinishedSearcher() : VariantSearcher(tune::space::GridAxes::grid_search, "the unfinished searcher") {}
    tune::Suggestion suggest(const std::string &trial_id) override {
        tune::Suggestion s = VariantSearcher::suggest(trial_id);
        if (s.outcome != TUNE_SUGGEST_FINISHED) return s;
        if (!said_finished_) {
            said_finished_ = true;
            return s;
        }
        if (UNKNOWN_OUTCOME) return {7, nullptr};
        return tune::Suggestion::with_config({{"lr", 0.01}});
    }

private:
    bool said_finished_ = false;
};

} // namespace

TUNE_PLUGIN_LIBRARY(UnfinishedSearcher);
