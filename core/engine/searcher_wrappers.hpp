// Ray Tune's searcher wrappers, for any searcher: [searcher] max_concurrent (ConcurrencyLimiter)
// and repeat (Repeater). Each wraps a TrialSearcher and is one; the state it saves holds its own
// and, after it, the wrapped searcher's.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/config/experiment.hpp"
#include "core/plugin/trial_searcher.hpp"

namespace tune::core {

// At most max_concurrent of the searcher's trials in flight (suggested, not yet complete):
// beyond that, suggest answers "not ready" without asking the searcher, so that an adaptive
// searcher sees results before it suggests more.
class ConcurrencyLimiter final : public TrialSearcher {
public:
    ConcurrencyLimiter(TrialSearcher &inner, long long max_concurrent);

    const std::string &plugin_id() const override { return inner_.plugin_id(); }
    SuggestResult suggest(const std::string &trial_id) override;
    void on_result(const std::string &trial_id, const std::string &result_json) override;
    void on_complete(const std::string &trial_id, const std::optional<std::string> &result_json,
                     bool failed) override;
    std::string save() override;
    void restore(const std::string &state) override;

private:
    TrialSearcher &inner_;
    std::size_t max_concurrent_;
    std::set<std::string> live_;
};

// Each suggestion runs `repeat` times (each trial with its own seed); once all of them have
// ended, the searcher is told, for the first of them, the mean of their final metric values
// (failed ones and non-finite values left out; a failure if none is left). The searcher sees
// one trial per suggestion and none of the intermediate results, as with Ray's Repeater.
class Repeater final : public TrialSearcher {
public:
    Repeater(TrialSearcher &inner, long long repeat, std::string metric);

    const std::string &plugin_id() const override { return inner_.plugin_id(); }
    SuggestResult suggest(const std::string &trial_id) override;
    void on_result(const std::string &, const std::string &) override {} // the mean comes at the end
    void on_complete(const std::string &trial_id, const std::optional<std::string> &result_json,
                     bool failed) override;
    std::string save() override;
    void restore(const std::string &state) override;

private:
    struct Group {
        std::string primary; // the trial the searcher knows
        std::string config_json;
        std::vector<std::string> members;
        std::vector<double> scores; // finite final metric values reported so far
        std::size_t reported = 0;
    };
    Group *group_of(const std::string &trial_id);

    TrialSearcher &inner_;
    std::size_t repeat_;
    std::string metric_;
    std::vector<Group> groups_; // those not yet told to the searcher; the last one is filling
};

// The searcher the controller drives: the plugin itself, or the plugin inside a Repeater
// inside a ConcurrencyLimiter (so max_concurrent counts every repeated trial).
class WrappedSearcher {
public:
    WrappedSearcher(TrialSearcher &plugin, const SearcherWrappers &wrappers, const std::string &metric);
    TrialSearcher &get() { return *outer_; }

private:
    std::unique_ptr<Repeater> repeater_;
    std::unique_ptr<ConcurrencyLimiter> limiter_;
    TrialSearcher *outer_;
};

} // namespace tune::core
