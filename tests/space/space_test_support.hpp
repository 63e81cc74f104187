// Helpers shared by the search-space tests: drawing many values of one domain, and checking a
// SpaceError's key path and message.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tune/space/search_space.hpp"

namespace tune::space::test {

using nlohmann::json;

// count values of domain, drawn as parameter "x" of a space with a fixed seed.
inline std::vector<json> draw(const json &domain, std::size_t count, std::uint64_t seed = 20240611) {
    const SearchSpace space = SearchSpace::parse({{"x", domain}});
    std::mt19937_64 rng(seed);
    std::vector<json> values;
    values.reserve(count);
    for (std::size_t i = 0; i < count; ++i) values.push_back(space.sample(rng, 0)["x"]);
    return values;
}

inline std::vector<double> as_doubles(const std::vector<json> &values) {
    std::vector<double> numbers;
    for (const json &value : values) numbers.push_back(value.get<double>());
    return numbers;
}

inline double mean_of(const std::vector<double> &values) {
    double sum = 0.0;
    for (double v : values) sum += v;
    return sum / static_cast<double>(values.size());
}

inline double variance_of(const std::vector<double> &values) {
    const double mean = mean_of(values);
    double sum = 0.0;
    for (double v : values) sum += (v - mean) * (v - mean);
    return sum / static_cast<double>(values.size() - 1);
}

// The Kolmogorov-Smirnov statistic of values against the continuous CDF cdf.
template <class Cdf> double ks_statistic(std::vector<double> values, Cdf cdf) {
    std::sort(values.begin(), values.end());
    const double n = static_cast<double>(values.size());
    double largest = 0.0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double f = cdf(values[i]);
        largest = std::max({largest, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
    }
    return largest;
}

// The KS critical value at significance 0.001: a correct sampler exceeds it once in a thousand
// seeds, and the seeds here are fixed.
inline double ks_critical(std::size_t count) { return 1.95 / std::sqrt(static_cast<double>(count)); }

// Pearson's chi-square of observed counts against expected probabilities.
inline double chi_square(const std::vector<std::size_t> &observed, const std::vector<double> &probabilities) {
    double total = 0.0;
    for (std::size_t count : observed) total += static_cast<double>(count);
    double statistic = 0.0;
    for (std::size_t i = 0; i < observed.size(); ++i) {
        const double expected = total * probabilities[i];
        const double difference = static_cast<double>(observed[i]) - expected;
        statistic += difference * difference / expected;
    }
    return statistic;
}

// Parsing space throws a SpaceError at key_path whose message contains every one of parts.
inline void require_space_error(const json &space, const std::string &key_path, const std::vector<std::string> &parts) {
    INFO("space: " << space.dump());
    try {
        SearchSpace::parse(space);
        FAIL("expected a SpaceError");
    } catch (const SpaceError &error) {
        INFO("message: " << error.what());
        CHECK(error.key_path() == key_path);
        if (!key_path.empty()) CHECK(std::string(error.what()).rfind(key_path + ": ", 0) == 0);
        for (const std::string &part : parts) CHECK_THAT(error.what(), Catch::Matchers::Contains(part));
    }
}

} // namespace tune::space::test
