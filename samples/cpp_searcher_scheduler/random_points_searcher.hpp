// org.example.random_points: see random_points_searcher.cpp.
#pragma once

#include <optional>
#include <random>

#include "tune/plugin.hpp"
#include "tune/space/search_space.hpp"

namespace example {

class RandomPointsSearcher final : public tune::Searcher {
public:
    static constexpr const char *id = "org.example.random_points";
    static constexpr const char *version = "1.0.0";
    static constexpr const char *description = "num_samples configs drawn afresh, grid axes at random points";

    void setup(const tune::SearcherSettings &settings) override;
    tune::Suggestion suggest(const std::string &trial_id) override;
    bool reads_results() const override { return false; } // the sequence never depends on them
    std::string save() override;
    void restore(const std::string &state) override;

private:
    std::optional<tune::space::SearchSpace> space_;
    std::mt19937_64 rng_;
    long long left_ = 0;
};

} // namespace example
