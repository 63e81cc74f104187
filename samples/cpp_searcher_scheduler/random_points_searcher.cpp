// org.example.random_points: num_samples configs, each drawn afresh from the space; a
// grid_search parameter takes a random one of its values rather than every one in turn.
// Uses the SDK's search-space library (tune::search_space), so it accepts exactly the
// spaces that `tune validate` accepts.
#include <random>
#include <sstream>

#include "random_points_searcher.hpp"
#include "tune/space/search_space.hpp"

namespace example {

void RandomPointsSearcher::setup(const tune::SearcherSettings &settings) {
    if (!settings.options.empty())
        throw tune::ConfigError("unknown option '" + settings.options.begin().key() + "': random_points takes none");
    if (settings.num_samples < 1) throw tune::ConfigError("settings key 'num_samples' must be >= 1");
    try {
        space_ = tune::space::SearchSpace::parse(settings.space);
    } catch (const tune::space::SpaceError &e) {
        throw tune::ConfigError(std::string("space: ") + e.what()); // names the key path
    }
    rng_.seed(settings.seed);
    left_ = settings.num_samples;
}

tune::Suggestion RandomPointsSearcher::suggest(const std::string & /*trial_id*/) {
    if (!space_) throw tune::StateError("suggest before setup");
    if (left_ <= 0) return tune::Suggestion::finished();
    --left_;
    const std::size_t points = space_->grid_size();
    const std::size_t point = std::uniform_int_distribution<std::size_t>(0, points - 1)(rng_);
    return tune::Suggestion::with_config(space_->sample(rng_, point));
}

// The whole state: how many configs are left and the generator, so a restored searcher
// continues the same sequence.
std::string RandomPointsSearcher::save() {
    std::ostringstream out;
    out << left_ << ' ' << rng_;
    return out.str();
}

void RandomPointsSearcher::restore(const std::string &state) {
    std::istringstream in(state);
    long long left = 0;
    std::mt19937_64 rng;
    if (!(in >> left >> rng) || left < 0) throw tune::StateError("not a random_points state: " + state.substr(0, 40));
    left_ = left;
    rng_ = rng;
}

} // namespace example
