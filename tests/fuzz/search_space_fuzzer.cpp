// libFuzzer harness: a search space (the JSON the [search_space] table becomes: domains,
// grid_search, sample_from expressions) parsed, then sampled. SpaceError is the answer to a
// bad space or a failing expression; anything else escaping is a finding.
#include <cstdint>
#include <random>
#include <string>

#include "tune/space/search_space.hpp"
#include "tune/space/space_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const nlohmann::json space = nlohmann::json::parse(data, data + size, nullptr, false);
    if (space.is_discarded()) return 0;
    try {
        const auto parsed = tune::space::SearchSpace::parse(space);
        std::mt19937_64 rng(1);
        const std::size_t points = parsed.grid_size();
        for (std::size_t i = 0; i < 3 && i < points; ++i) {
            const nlohmann::json config = parsed.sample(rng, i);
            (void)parsed.violation(config);
        }
    } catch (const tune::space::SpaceError &) {
    }
    return 0;
}
