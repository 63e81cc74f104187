// The searcher behind the random and grid searcher plugins: it proposes the configs of a
// VariantSequence in order, then reports finished. A plugin derives from it, picks the grid
// axes, and adds the static id, version and description that TUNE_PLUGIN_LIBRARY needs.
#pragma once

#include <optional>
#include <string>

#include "tune/sdk/searcher.hpp"
#include "tune/space/variant_sequence.hpp"

namespace tune::space {

class VariantSearcher : public tune::Searcher {
public:
    // Takes settings.space, num_samples (>= 1) and seed; accepts no options. Throws ConfigError
    // whose message starts with the key path for an invalid space, and one naming the key for
    // an unknown option.
    void setup(const SearcherSettings &settings) override;
    Suggestion suggest(const std::string &trial_id) override;
    bool reads_results() const override { return false; } // the sequence never depends on results
    std::string save() override;
    void restore(const std::string &state) override;

protected:
    // name is how messages call the searcher: "the random searcher".
    VariantSearcher(GridAxes axes, std::string name);

private:
    VariantSequence &sequence();

    GridAxes axes_;
    std::string name_;
    std::optional<VariantSequence> sequence_;
};

} // namespace tune::space
