#include "tune/space/variant_searcher.hpp"

#include <stdexcept>
#include <utility>

namespace tune::space {

VariantSearcher::VariantSearcher(GridAxes axes, std::string name) : axes_(axes), name_(std::move(name)) {}

void VariantSearcher::setup(const SearcherSettings &settings) {
    if (!settings.options.empty())
        throw ConfigError("unknown option '" + settings.options.begin().key() + "': " + name_ + " takes no options");
    if (settings.num_samples < 1)
        throw ConfigError("num_samples must be >= 1, found " + std::to_string(settings.num_samples));
    try {
        sequence_.emplace(SearchSpace::parse(settings.space), axes_,
                          static_cast<std::uint64_t>(settings.num_samples), settings.seed);
    } catch (const SpaceError &error) {
        throw ConfigError(error.what());
    }
}

Suggestion VariantSearcher::suggest(const std::string & /*trial_id*/) {
    std::optional<Json> config;
    try {
        config = sequence().next();
    } catch (const SpaceError &error) {
        throw ConfigError(error.what());
    }
    return config ? Suggestion::with_config(std::move(*config)) : Suggestion::finished();
}

std::string VariantSearcher::save() { return sequence().state().dump(); }

void VariantSearcher::restore(const std::string &state) {
    VariantSequence &restored = sequence();
    try {
        restored.restore(Json::parse(state));
    } catch (const Json::parse_error &error) {
        throw Error(TUNE_ERROR_INVALID_ARGUMENT, "searcher state is not JSON: " + std::string(error.what()));
    } catch (const std::invalid_argument &error) {
        throw Error(TUNE_ERROR_INVALID_ARGUMENT, error.what());
    }
}

VariantSequence &VariantSearcher::sequence() {
    if (!sequence_) throw StateError(name_ + " was not set up");
    return *sequence_;
}

} // namespace tune::space
