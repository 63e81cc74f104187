#include "pbt_explore.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "tune/space/random.hpp"

namespace tune::pbt {

namespace {

// Below 2^63 in magnitude a whole double converts to int64 exactly.
constexpr double int64_limit = 9223372036854775808.0;

// A list key: resample, or shift to a neighbouring value (Ray's Case 1).
Json mutate_values(const Json &current, const Mutation &mutation, double resample_probability,
                   std::mt19937_64 &rng, std::string &operation) {
    const std::vector<Json> &values = mutation.values;
    // Python evaluates random.random() < p first, so the draw happens even for a value not in
    // the list; keep the same stream.
    const bool resample = space::uniform01(rng) < resample_probability;
    const auto found = std::find(values.begin(), values.end(), current);
    if (resample || found == values.end()) {
        operation = "resample";
        return values[space::uniform_below(rng, values.size())];
    }
    const bool left = space::uniform_below(rng, 2) == 0; // random.choice([-1, 1])
    const auto old_index = static_cast<std::size_t>(found - values.begin());
    std::size_t new_index = old_index;
    if (left && old_index > 0) new_index = old_index - 1;
    if (!left && old_index + 1 < values.size()) new_index = old_index + 1;
    operation = std::string(left ? "shift left" : "shift right") + (new_index == old_index ? " (noop)" : "");
    return values[new_index];
}

// value as an integer (Python's int(): toward zero) when it fits, else as it is.
Json truncated(double value) {
    const double whole = std::trunc(value);
    if (std::fabs(whole) < int64_limit) return static_cast<std::int64_t>(whole);
    return value;
}

// current * factor, an integer if current is one or the domain's values are, within the
// domain's bounds (integer bounds for an integer: randint [2, 9) keeps 2..8).
Json perturb(const Json &current, const Mutation &mutation, double factor) {
    const bool integer = current.is_number_integer() || mutation.integer_domain;
    double value = current.get<double>() * factor;
    if (integer) value = std::trunc(value);
    double lower = mutation.lower.value_or(-std::numeric_limits<double>::infinity());
    double upper = mutation.upper.value_or(std::numeric_limits<double>::infinity());
    if (integer && std::ceil(lower) <= std::floor(upper)) {
        lower = std::ceil(lower);
        upper = std::floor(upper);
    }
    value = std::clamp(value, lower, upper);
    if (integer && std::trunc(value) == value) return truncated(value);
    return value;
}

// A numeric domain key: resample from the domain, or multiply by a factor (Ray's Case 2).
Json mutate_number(const Json &current, const Mutation &mutation, double resample_probability,
                   const std::vector<Factor> &factors, std::mt19937_64 &rng, std::string &operation) {
    if (space::uniform01(rng) < resample_probability) {
        operation = "resample";
        Json sampled = mutation.domain->sample(rng);
        // Ray: a key that started out as an integer is converted back with int().
        if (current.is_number_integer() && sampled.is_number_float()) return truncated(sampled.get<double>());
        return sampled;
    }
    const Factor &factor = factors[space::uniform_below(rng, factors.size())];
    operation = "* " + factor.text;
    return perturb(current, mutation, factor.value);
}

} // namespace

Explored explore(const Json &config, const std::vector<Mutation> &mutations, double resample_probability,
                 const std::vector<Factor> &factors, std::mt19937_64 &rng) {
    Explored explored{config, Json::object()};
    for (const Mutation &mutation : mutations) {
        const Json &current = config.at(mutation.key);
        if (mutation.kind == Mutation::Kind::nested) {
            Explored nested = explore(current, mutation.children, resample_probability, factors, rng);
            explored.config[mutation.key] = std::move(nested.config);
            explored.operations[mutation.key] = std::move(nested.operations);
            continue;
        }
        std::string operation;
        explored.config[mutation.key] =
            mutation.kind == Mutation::Kind::values
                ? mutate_values(current, mutation, resample_probability, rng, operation)
                : mutate_number(current, mutation, resample_probability, factors, rng, operation);
        explored.operations[mutation.key] = operation;
    }
    return explored;
}

} // namespace tune::pbt
