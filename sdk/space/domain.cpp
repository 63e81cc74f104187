#include "tune/space/domain.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "tune/space/grid_steps.hpp"
#include "tune/space/random.hpp"
#include "tune/space/space_error.hpp"

namespace tune::space {
namespace {

using nlohmann::json;

enum class ArgumentKind { number, integer };

struct Argument {
    std::string name;
    ArgumentKind kind;
    bool keyword;                    // may also be given as a key next to the primitive key
    std::optional<double> fallback;  // the value when left out; nullopt: required
};

struct Signature {
    Primitive primitive;
    std::string name;
    std::string usage;               // what the primitive key's value must be, for messages
    std::vector<Argument> arguments; // empty for choice, grid_search and sample_from
};

Argument required(std::string name, ArgumentKind kind = ArgumentKind::number) {
    return {std::move(name), kind, false, std::nullopt};
}
Argument optional(std::string name, double fallback) {
    return {std::move(name), ArgumentKind::number, false, fallback};
}
Argument keyword(std::string name, ArgumentKind kind = ArgumentKind::number,
                 std::optional<double> fallback = std::nullopt) {
    return {std::move(name), kind, true, fallback};
}

constexpr auto integer = ArgumentKind::integer;

// In the order of Primitive, so that a primitive indexes its own signature.
const std::vector<Signature> &signatures() {
    static const std::vector<Signature> all{
        {Primitive::uniform, "uniform", "[lower, upper]", {required("lower"), required("upper")}},
        {Primitive::quniform, "quniform", "[lower, upper, q]",
         {required("lower"), required("upper"), keyword("q")}},
        {Primitive::loguniform, "loguniform", "[lower, upper] or [lower, upper, base]",
         {required("lower"), required("upper"), keyword("base", ArgumentKind::number, 10.0)}},
        {Primitive::qloguniform, "qloguniform", "[lower, upper, q] or [lower, upper, q, base]",
         {required("lower"), required("upper"), keyword("q"), keyword("base", ArgumentKind::number, 10.0)}},
        {Primitive::randn, "randn", "[], [mean] or [mean, sd]", {optional("mean", 0.0), optional("sd", 1.0)}},
        {Primitive::qrandn, "qrandn", "[mean, sd, q]", {required("mean"), required("sd"), keyword("q")}},
        {Primitive::randint, "randint", "[lower, upper] of integers",
         {required("lower", integer), required("upper", integer)}},
        {Primitive::qrandint, "qrandint", "[lower, upper] or [lower, upper, q] of integers",
         {required("lower", integer), required("upper", integer), keyword("q", integer, 1.0)}},
        {Primitive::lograndint, "lograndint", "[lower, upper] or [lower, upper, base], lower and upper integers",
         {required("lower", integer), required("upper", integer), keyword("base", ArgumentKind::number, 10.0)}},
        {Primitive::qlograndint, "qlograndint",
         "[lower, upper, q] or [lower, upper, q, base], lower, upper and q integers",
         {required("lower", integer), required("upper", integer), keyword("q", integer),
          keyword("base", ArgumentKind::number, 10.0)}},
        {Primitive::choice, "choice", "a non-empty array of categories", {}},
        {Primitive::grid_search, "grid_search", "a non-empty array of values", {}},
        {Primitive::sample_from, "sample_from", "an expression string such as \"2 ** randint(2, 9)\"", {}},
    };
    return all;
}

const Signature &signature_of(Primitive primitive) { return signatures()[static_cast<std::size_t>(primitive)]; }

bool is_log(Primitive p) {
    return p == Primitive::loguniform || p == Primitive::qloguniform || p == Primitive::lograndint ||
           p == Primitive::qlograndint;
}

bool is_quantized(Primitive p) {
    return p == Primitive::quniform || p == Primitive::qloguniform || p == Primitive::qrandn ||
           p == Primitive::qrandint || p == Primitive::qlograndint;
}

// Integers beyond 2^53 lose precision in the double arithmetic of the log domains.
constexpr std::int64_t max_integer_bound = std::int64_t{1} << 53;

std::string text(double value) { return json(value).dump(); }

std::string allowed_keywords(const Signature &signature) {
    std::vector<std::string> names;
    for (const Argument &argument : signature.arguments)
        if (argument.keyword) names.push_back("'" + argument.name + "'");
    std::string list;
    for (std::size_t i = 0; i < names.size(); ++i)
        list += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
    if (list.empty()) return "a " + signature.name + " domain takes no other keys";
    return "a " + signature.name + " domain takes only " + list + " as other keys";
}

// The arguments of a numeric primitive, in signature order, after keywords and defaults.
std::vector<json> resolve_arguments(const json &node, const Signature &signature, const std::string &key_path) {
    const json &given = node.at(signature.name);
    if (!given.is_array())
        throw SpaceError(key_path, signature.name + " expects an array " + signature.usage + ", found " + given.dump());
    if (given.size() > signature.arguments.size())
        throw SpaceError(key_path, signature.name + " expects " + signature.usage + ", found " +
                                       std::to_string(given.size()) + " arguments " + given.dump());

    std::vector<json> resolved;
    for (std::size_t i = 0; i < signature.arguments.size(); ++i) {
        const Argument &argument = signature.arguments[i];
        const bool positional = i < given.size();
        const bool as_key = argument.keyword && node.contains(argument.name);
        if (positional && as_key)
            throw SpaceError(key_path, signature.name + " gets " + argument.name + " twice: as argument " +
                                           std::to_string(i + 1) + " and as key '" + argument.name + "'");
        json value;
        if (positional) value = given[i];
        else if (as_key) value = node.at(argument.name);
        else if (argument.fallback && argument.kind == ArgumentKind::integer)
            value = static_cast<std::int64_t>(*argument.fallback);
        else if (argument.fallback) value = *argument.fallback;
        else
            throw SpaceError(key_path, signature.name + " is missing " + argument.name + ": expected " +
                                           signature.usage +
                                           (argument.keyword ? " (or '" + argument.name + "' as a key)" : "") +
                                           ", found " + given.dump());

        if (argument.kind == ArgumentKind::integer) {
            const bool in_range =
                value.is_number_integer() &&
                (value.is_number_unsigned() ? value.get<std::uint64_t>() <= std::uint64_t{max_integer_bound}
                                            : value.get<std::int64_t>() >= -max_integer_bound &&
                                                  value.get<std::int64_t>() <= max_integer_bound);
            if (!in_range)
                throw SpaceError(key_path, signature.name + " argument " + argument.name +
                                               " must be an integer within +-2^53, found " + value.dump());
        } else if (!value.is_number()) {
            throw SpaceError(key_path, signature.name + " argument " + argument.name + " must be a number, found " +
                                           value.dump());
        }
        resolved.push_back(std::move(value));
    }
    return resolved;
}

// Ties go to the even integer, as numpy.round (which Ray Tune quantizes with) does.
double round_half_even(double value) {
    if (std::abs(value - std::trunc(value)) == 0.5) return 2.0 * std::round(value / 2.0);
    return std::round(value);
}

void require_valid_base(double base, const std::string &name, const std::string &key_path) {
    if (!(base > 0.0) || base == 1.0)
        throw SpaceError(key_path, name + " needs a base > 0 and != 1, found base " + text(base));
}

void require_positive_q(double q, const std::string &name, const std::string &key_path) {
    if (!(q > 0.0)) throw SpaceError(key_path, name + " needs q > 0, found q " + text(q));
}

} // namespace

const std::vector<std::string> &primitive_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> all;
        for (const Signature &signature : signatures()) all.push_back(signature.name);
        return all;
    }();
    return names;
}

std::optional<Primitive> primitive_named(std::string_view name) {
    for (const Signature &signature : signatures())
        if (signature.name == name) return signature.primitive;
    return std::nullopt;
}

const std::string &primitive_name(Primitive primitive) { return signature_of(primitive).name; }

std::optional<Primitive> domain_primitive(const json &node, const std::string &key_path) {
    if (!node.is_object()) return std::nullopt;
    std::optional<Primitive> found;
    for (const auto &item : node.items()) {
        const std::optional<Primitive> primitive = primitive_named(item.key());
        if (!primitive) continue;
        if (found)
            throw SpaceError(key_path, "has two primitive keys, '" + primitive_name(*found) + "' and '" +
                                           item.key() + "'; a domain has exactly one");
        found = primitive;
    }
    if (!found) return std::nullopt;

    const Signature &signature = signature_of(*found);
    for (const auto &item : node.items()) {
        if (item.key() == signature.name) continue;
        const bool accepted = std::any_of(signature.arguments.begin(), signature.arguments.end(),
                                          [&](const Argument &a) { return a.keyword && a.name == item.key(); });
        if (!accepted)
            throw SpaceError(key_path, "unexpected key '" + item.key() + "' next to '" + signature.name + "': " +
                                           allowed_keywords(signature));
    }
    return found;
}

Domain Domain::parse(const json &node, Primitive primitive, const std::string &key_path) {
    if (primitive == Primitive::sample_from)
        throw std::invalid_argument("sample_from is an Expression, not a Domain");
    const Signature &signature = signature_of(primitive);
    const std::string &name = signature.name;
    Domain domain;
    domain.primitive_ = primitive;

    if (primitive == Primitive::choice || primitive == Primitive::grid_search) {
        const json &given = node.at(name);
        if (!given.is_array() || given.empty())
            throw SpaceError(key_path, name + " expects " + signature.usage + ", found " + given.dump());
        domain.values_.assign(given.begin(), given.end());
        return domain;
    }

    const std::vector<json> arguments = resolve_arguments(node, signature, key_path);
    switch (primitive) {
    case Primitive::uniform:
    case Primitive::quniform:
    case Primitive::loguniform:
    case Primitive::qloguniform:
        domain.lower_ = arguments[0].get<double>();
        domain.upper_ = arguments[1].get<double>();
        if (!(domain.lower_ < domain.upper_))
            throw SpaceError(key_path, name + " needs lower < upper, found lower " + text(domain.lower_) +
                                           " and upper " + text(domain.upper_));
        if (is_quantized(primitive)) domain.q_ = arguments[2].get<double>();
        if (is_log(primitive)) domain.base_ = arguments.back().get<double>();
        break;
    case Primitive::randn:
    case Primitive::qrandn:
        domain.mean_ = arguments[0].get<double>();
        domain.sd_ = arguments[1].get<double>();
        if (!(domain.sd_ > 0.0)) throw SpaceError(key_path, name + " needs sd > 0, found sd " + text(domain.sd_));
        if (is_quantized(primitive)) domain.q_ = arguments[2].get<double>();
        break;
    case Primitive::randint:
    case Primitive::lograndint:
    case Primitive::qrandint:
    case Primitive::qlograndint: {
        domain.int_lower_ = arguments[0].get<std::int64_t>();
        domain.int_upper_ = arguments[1].get<std::int64_t>();
        domain.lower_ = static_cast<double>(domain.int_lower_);
        domain.upper_ = static_cast<double>(domain.int_upper_);
        // randint and lograndint exclude upper; the quantized ones include it, as in Ray Tune.
        if (is_quantized(primitive) ? domain.int_lower_ > domain.int_upper_ : domain.int_lower_ >= domain.int_upper_)
            throw SpaceError(key_path, name + " needs lower " + (is_quantized(primitive) ? "<=" : "<") +
                                           " upper, found lower " + std::to_string(domain.int_lower_) +
                                           " and upper " + std::to_string(domain.int_upper_));
        if (is_quantized(primitive)) {
            domain.int_q_ = arguments[2].get<std::int64_t>();
            if (domain.int_q_ <= 0)
                throw SpaceError(key_path, name + " needs q > 0, found q " + std::to_string(domain.int_q_));
            domain.first_multiple_ = -floor_div(-domain.int_lower_, domain.int_q_) * domain.int_q_;
            domain.last_multiple_ = floor_div(domain.int_upper_, domain.int_q_) * domain.int_q_;
            if (domain.first_multiple_ > domain.last_multiple_)
                throw SpaceError(key_path, name + " has no multiple of q " + std::to_string(domain.int_q_) + " in [" +
                                               std::to_string(domain.int_lower_) + ", " +
                                               std::to_string(domain.int_upper_) + "]");
        }
        if (is_log(primitive)) domain.base_ = arguments.back().get<double>();
        break;
    }
    case Primitive::choice:
    case Primitive::grid_search:
    case Primitive::sample_from:
        break; // handled above
    }

    if (is_log(primitive)) {
        if (!(domain.lower_ > 0.0))
            throw SpaceError(key_path, name + " needs lower > 0 (it samples on a log scale), found lower " +
                                           text(domain.lower_));
        require_valid_base(domain.base_, name, key_path);
    }
    if (is_quantized(primitive) && !domain.is_integer()) {
        require_positive_q(domain.q_, name, key_path);
        domain.q_decimals_ = decimals_of(domain.q_);
        if (primitive != Primitive::qrandn) {
            domain.first_step_ = step_at_or_above(domain.lower_ / domain.q_);
            domain.last_step_ = step_at_or_below(domain.upper_ / domain.q_);
            // 0 is no value of a log domain, even where lower rounds to it.
            if (is_log(primitive)) domain.first_step_ = std::max(domain.first_step_, 1.0);
            if (domain.first_step_ > domain.last_step_)
                throw SpaceError(key_path, name + " has no multiple of q " + text(domain.q_) + " in [" +
                                               text(domain.lower_) + ", " + text(domain.upper_) + "]");
        }
    }
    return domain;
}

bool Domain::is_integer() const {
    return primitive_ == Primitive::randint || primitive_ == Primitive::qrandint ||
           primitive_ == Primitive::lograndint || primitive_ == Primitive::qlograndint;
}

bool Domain::is_categorical() const { return primitive_ == Primitive::choice || primitive_ == Primitive::grid_search; }

double Domain::sample_log_uniform(std::mt19937_64 &rng, double lower, double upper) const {
    // base ** U(log_base(lower), log_base(upper)), as Ray Tune draws it.
    const double log_base = std::log(base_);
    const double low_exponent = std::log(lower) / log_base;
    const double high_exponent = std::log(upper) / log_base;
    const double exponent = low_exponent + uniform01(rng) * (high_exponent - low_exponent);
    const double value = std::pow(base_, exponent);
    // pow and log round: keep the result in [lower, upper).
    return std::clamp(value, lower, std::nextafter(upper, lower));
}

double Domain::quantize(double value) const {
    double step = round_half_even(value / q_);
    if (primitive_ != Primitive::qrandn) step = std::clamp(step, first_step_, last_step_);
    const double quantized = step * q_;
    // + 0.0 turns -0.0 (a negative draw rounded to step 0) into 0.0.
    return (q_decimals_ ? round_to_decimals(quantized, *q_decimals_) : quantized) + 0.0;
}

std::int64_t Domain::quantize(std::int64_t value) const {
    const std::int64_t step = floor_div(value, int_q_);
    const std::int64_t remainder = value - step * int_q_; // in [0, q)
    const bool round_up = 2 * remainder > int_q_ || (2 * remainder == int_q_ && step % 2 != 0);
    return std::clamp((round_up ? step + 1 : step) * int_q_, first_multiple_, last_multiple_);
}

json Domain::sample(std::mt19937_64 &rng) const {
    switch (primitive_) {
    case Primitive::uniform:
        return uniform_real(rng, lower_, upper_);
    case Primitive::quniform:
        return quantize(uniform_real(rng, lower_, upper_));
    case Primitive::loguniform:
        return sample_log_uniform(rng, lower_, upper_);
    case Primitive::qloguniform:
        return quantize(sample_log_uniform(rng, lower_, upper_));
    case Primitive::randn:
        return mean_ + sd_ * standard_normal(rng);
    case Primitive::qrandn:
        return quantize(mean_ + sd_ * standard_normal(rng));
    case Primitive::randint:
        return int_lower_ + static_cast<std::int64_t>(uniform_below(rng, static_cast<std::uint64_t>(int_upper_ - int_lower_)));
    case Primitive::qrandint:
        return quantize(int_lower_ +
                        static_cast<std::int64_t>(uniform_below(rng, static_cast<std::uint64_t>(int_upper_ - int_lower_) + 1)));
    case Primitive::lograndint: {
        const auto value = static_cast<std::int64_t>(std::floor(sample_log_uniform(rng, lower_, upper_)));
        return std::clamp(value, int_lower_, int_upper_ - 1);
    }
    case Primitive::qlograndint: {
        // upper + 1 makes upper inclusive, as Ray Tune's qlograndint does.
        const auto value = static_cast<std::int64_t>(std::floor(sample_log_uniform(rng, lower_, upper_ + 1.0)));
        return quantize(std::clamp(value, int_lower_, int_upper_));
    }
    case Primitive::choice:
    case Primitive::grid_search:
        return values_[uniform_below(rng, values_.size())];
    case Primitive::sample_from:
        break;
    }
    throw std::logic_error("a Domain never holds sample_from");
}

std::optional<std::string> Domain::violation(const json &value) const {
    if (is_categorical()) {
        if (std::find(values_.begin(), values_.end(), value) != values_.end()) return std::nullopt;
        return "expected one of " + json(values_).dump() + ", found " + value.dump();
    }
    return is_integer() ? integer_violation(value) : float_violation(value);
}

std::optional<std::string> Domain::float_violation(const json &value) const {
    if (!value.is_number()) return "expected a number, found " + value.dump();
    const double number = value.get<double>();
    if (q_ == 0.0) {
        if (primitive_ == Primitive::randn || (number >= lower_ && number < upper_)) return std::nullopt;
        return "expected a number in [" + text(lower_) + ", " + text(upper_) + "), found " + value.dump();
    }
    const std::optional<double> step = nearly_integral(number / q_);
    if (primitive_ == Primitive::qrandn) {
        if (step) return std::nullopt;
        return "expected a multiple of q " + text(q_) + ", found " + value.dump();
    }
    if (step && *step >= first_step_ && *step <= last_step_) return std::nullopt;
    return "expected a multiple of q " + text(q_) + " in [" + text(lower_) + ", " + text(upper_) + "], found " +
           value.dump();
}

std::optional<std::string> Domain::integer_violation(const json &value) const {
    if (!value.is_number_integer()) return "expected an integer, found " + value.dump();
    const bool representable = !value.is_number_unsigned() ||
                               value.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
    const std::int64_t number = representable ? value.get<std::int64_t>() : std::numeric_limits<std::int64_t>::max();
    const std::string range = "[" + std::to_string(int_lower_) + ", " + std::to_string(int_upper_);
    if (!is_quantized(primitive_)) {
        if (number >= int_lower_ && number < int_upper_) return std::nullopt;
        return "expected an integer in " + range + "), found " + value.dump();
    }
    if (number >= int_lower_ && number <= int_upper_ && number % int_q_ == 0) return std::nullopt;
    return "expected a multiple of q " + std::to_string(int_q_) + " in " + range + "], found " + value.dump();
}

} // namespace tune::space
