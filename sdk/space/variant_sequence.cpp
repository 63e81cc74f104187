#include "tune/space/variant_sequence.hpp"

#include <limits>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace tune::space {

VariantSequence::VariantSequence(SearchSpace space, GridAxes axes, std::uint64_t num_samples, std::uint64_t seed)
    : space_(std::move(space)), axes_(axes), grid_size_(space_.grid_size(axes)), rng_(seed) {
    if (num_samples > std::numeric_limits<std::uint64_t>::max() / grid_size_)
        throw SpaceError("", "num_samples " + std::to_string(num_samples) + " times " + std::to_string(grid_size_) +
                                 " grid points is more trials than can be counted");
    size_ = num_samples * grid_size_;
}

std::optional<nlohmann::json> VariantSequence::next() {
    if (position_ >= size_) return std::nullopt;
    nlohmann::json config = space_.sample(rng_, static_cast<std::size_t>(position_ % grid_size_), axes_);
    ++position_;
    return config;
}

nlohmann::json VariantSequence::state() const {
    std::ostringstream rng_text;
    rng_text << rng_;
    return {{"position", position_}, {"rng", rng_text.str()}};
}

void VariantSequence::restore(const nlohmann::json &state) {
    if (!state.is_object() || !state.contains("position") || !state["position"].is_number_unsigned() ||
        !state.contains("rng") || !state["rng"].is_string())
        throw std::invalid_argument("searcher state must be {\"position\": unsigned, \"rng\": string}, found " +
                                    state.dump());
    const auto position = state["position"].get<std::uint64_t>();
    if (position > size_)
        throw std::invalid_argument("searcher state is at config " + std::to_string(position) +
                                    ", beyond the end of this sequence of " + std::to_string(size_));
    std::istringstream rng_text(state["rng"].get<std::string>());
    std::mt19937_64 rng;
    rng_text >> rng;
    if (!rng_text) throw std::invalid_argument("searcher state holds a malformed generator state");
    position_ = position;
    rng_ = rng;
}

} // namespace tune::space
