// Random search that runs one trial at a time: "not ready" while a suggested trial has not
// completed, as a sequential optimiser does. Built twice:
//  - sequential_searcher (STALL 0) is correct and passes every searcher check, which shows
//    the checks handle "not ready";
//  - stalling_searcher (STALL 1) answers "not ready" instead of "finished" when its configs
//    run out, with no trial running: fails searcher.finished_not_ready.
#include <set>

#include "tune/plugin.hpp"
#include "tune/space/variant_searcher.hpp"

namespace {

class WaitingSearcher final : public tune::space::VariantSearcher {
public:
    static constexpr const char *id = STALL ? "org.tune.test.stalling" : "org.tune.test.sequential";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = STALL ? "Never finishes: not ready with nothing running"
                                                     : "One trial at a time: not ready while one runs";
    WaitingSearcher() : VariantSearcher(tune::space::GridAxes::grid_search, "the waiting searcher") {}

    tune::Suggestion suggest(const std::string &trial_id) override {
        if (!running_.empty()) return tune::Suggestion::not_ready();
        tune::Suggestion s = VariantSearcher::suggest(trial_id);
        if (s.outcome == TUNE_SUGGEST_CONFIG) running_.insert(trial_id);
        if (STALL && s.outcome == TUNE_SUGGEST_FINISHED) return tune::Suggestion::not_ready();
        return s;
    }
    void on_complete(const std::string &trial_id, const std::optional<tune::Json> &, bool) override {
        running_.erase(trial_id);
    }
    std::string save() override { return tune::Json{{"base", VariantSearcher::save()}, {"running", running_}}.dump(); }
    void restore(const std::string &text) override {
        tune::Json state = tune::Json::parse(text, nullptr, false);
        if (!state.is_object() || !state.contains("base") || !state.contains("running"))
            throw tune::StateError("not a waiting searcher state");
        VariantSearcher::restore(state["base"].get<std::string>());
        running_ = state["running"].get<std::set<std::string>>();
    }

private:
    std::set<std::string> running_;
};

} // namespace

TUNE_PLUGIN_LIBRARY(WaitingSearcher);
