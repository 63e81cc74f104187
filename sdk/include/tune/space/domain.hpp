// Domains: the distributions (and value lists) a search-space parameter is drawn from.
//
// In a space a domain is a JSON object with exactly one primitive key, whose value holds the
// positional arguments, plus the keyword keys that primitive allows:
//     {"uniform": [0, 1]}   {"loguniform": [1, 1024], "base": 2}   {"choice": [2, 4, 8]}
// docs/search-space.md describes every primitive.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tune::space {

enum class Primitive {
    uniform,
    quniform,
    loguniform,
    qloguniform,
    randn,
    qrandn,
    randint,
    qrandint,
    lograndint,
    qlograndint,
    choice,
    grid_search,
    sample_from,
};

// Every primitive name as written in a space, in the order of Primitive.
const std::vector<std::string> &primitive_names();

// The primitive called name, or nullopt if name is not a primitive.
std::optional<Primitive> primitive_named(std::string_view name);

// The name of primitive as written in a space.
const std::string &primitive_name(Primitive primitive);

// The primitive of a space node that is a domain, or nullopt if node is not an object or is an
// object without a primitive key (a nested table). Throws SpaceError naming key_path if node
// has a primitive key next to a key that primitive does not accept, or two primitive keys.
std::optional<Primitive> domain_primitive(const nlohmann::json &node, const std::string &key_path);

// One parsed domain of any primitive but sample_from (see Expression for that one).
class Domain {
public:
    // Parses node, a domain whose primitive domain_primitive found. Throws SpaceError naming
    // key_path for a wrong argument count or type, or an argument out of range.
    static Domain parse(const nlohmann::json &node, Primitive primitive, const std::string &key_path);

    Primitive primitive() const { return primitive_; }

    // True for the domains that produce JSON integers (randint and its variants).
    bool is_integer() const;

    // True for choice and grid_search, whose values() lists what they produce.
    bool is_categorical() const;

    // The categories of choice or the values of grid_search, in the order given; empty for
    // the other primitives.
    const std::vector<nlohmann::json> &values() const { return values_; }

    // Draws one value. choice and grid_search pick one of values() uniformly.
    nlohmann::json sample(std::mt19937_64 &rng) const;

    // Why value cannot have come from this domain (out of bounds, not a multiple of q, not one
    // of the categories, wrong type), or nullopt if it can.
    std::optional<std::string> violation(const nlohmann::json &value) const;

private:
    Domain() = default;

    double sample_log_uniform(std::mt19937_64 &rng, double lower, double upper) const;
    double quantize(double value) const;
    std::int64_t quantize(std::int64_t value) const;
    std::optional<std::string> float_violation(const nlohmann::json &value) const;
    std::optional<std::string> integer_violation(const nlohmann::json &value) const;

    Primitive primitive_ = Primitive::uniform;
    // Float domains: [lower, upper) or, quantized, the multiples of q in [lower, upper].
    double lower_ = 0.0;
    double upper_ = 0.0;
    double base_ = 10.0;
    double mean_ = 0.0;
    double sd_ = 1.0;
    double q_ = 0.0; // 0 when not quantized
    // Quantized floats are k * q for k in [first_step, last_step] (unbounded for qrandn).
    double first_step_ = 0.0;
    double last_step_ = 0.0;
    // Decimal places of q, to print 0.3 rather than 0.30000000000000004; nullopt if q has none.
    std::optional<int> q_decimals_;
    // Integer domains: randint [lower, upper), qrandint [lower, upper], quantized values are
    // the multiples of q in [first_multiple, last_multiple].
    std::int64_t int_lower_ = 0;
    std::int64_t int_upper_ = 0;
    std::int64_t int_q_ = 1;
    std::int64_t first_multiple_ = 0;
    std::int64_t last_multiple_ = 0;
    std::vector<nlohmann::json> values_;
};

} // namespace tune::space
