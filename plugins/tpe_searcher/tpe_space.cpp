#include "tpe_space.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>

#include "truncated_normal.hpp"
#include "tune/sdk/common.hpp"
#include "tune/space/grid_steps.hpp"
#include "tune/space/random.hpp"

namespace tune::tpe {
namespace {

using nlohmann::json;
using space::Primitive;

// The quantiles of normal dimensions stay inside [2^-53, 1 - 2^-53]: +-8.2 standard deviations.
constexpr double kQuantileMin = 0x1.0p-53;
constexpr double kQuantileMax = 1.0 - 0x1.0p-53;
constexpr double kMaxExactInteger = 0x1.0p53;

double clamp_quantile(double u) { return std::clamp(u, kQuantileMin, kQuantileMax); }

// Argument `index` of a domain node, given positionally or as the keyword key, else fallback.
// The space library has checked the node already.
json argument(const json &node, const std::string &primitive, std::size_t index, const char *keyword, json fallback) {
    const json &given = node.at(primitive);
    if (index < given.size()) return given[index];
    if (keyword && node.contains(keyword)) return node.at(keyword);
    return fallback;
}

const json &node_at(const json &space, const std::vector<std::string> &key) {
    const json *node = &space;
    for (const std::string &part : key) node = &node->at(part);
    return *node;
}

void float_grid(Dimension &dim, double lower, double upper, double q, bool log) {
    dim.q = q;
    dim.q_decimals = space::decimals_of(q);
    dim.first_step = space::step_at_or_above(lower / q);
    dim.last_step = space::step_at_or_below(upper / q);
    if (log) dim.first_step = std::max(dim.first_step, 1.0); // 0 is no value of a log domain
    dim.lower = dim.first_step * q;
    dim.upper = dim.last_step * q;
    dim.single = dim.first_step == dim.last_step;
    if (log)
        dim.kernel = {false, 0, std::log(dim.lower - 0.5 * q), std::log(dim.upper + 0.5 * q), 0.0};
    else
        dim.kernel = {false, 0, dim.lower, dim.upper, q};
}

void integer_grid(Dimension &dim, std::int64_t first, std::int64_t last, std::int64_t q, bool log) {
    dim.integer = true;
    dim.q = static_cast<double>(q);
    dim.lower = static_cast<double>(first);
    dim.upper = static_cast<double>(last);
    dim.single = first == last;
    // Optuna's IntDistribution(log=True): a continuous kernel on [log(low - step/2), log(high + step/2)].
    if (log)
        dim.kernel = {false, 0, std::log(dim.lower - 0.5 * dim.q), std::log(dim.upper + 0.5 * dim.q), 0.0};
    else
        dim.kernel = {false, 0, dim.lower, dim.upper, dim.q};
}

Dimension domain_dimension(const space::Domain &domain, const json &node, const std::string &key_path) {
    Dimension dim;
    dim.name = key_path;
    const Primitive p = domain.primitive();
    const std::string &name = space::primitive_name(p);
    const auto number = [&](std::size_t i, const char *keyword = nullptr, double fallback = 0.0) {
        return argument(node, name, i, keyword, fallback).get<double>();
    };
    const auto integer = [&](std::size_t i, const char *keyword = nullptr, std::int64_t fallback = 1) {
        return argument(node, name, i, keyword, fallback).get<std::int64_t>();
    };
    switch (p) {
    case Primitive::uniform:
        dim.encoding = Encoding::uniform;
        dim.lower = number(0);
        dim.upper = number(1);
        dim.kernel = {false, 0, dim.lower, dim.upper, 0.0};
        break;
    case Primitive::loguniform:
        dim.encoding = Encoding::log_uniform;
        dim.lower = number(0);
        dim.upper = number(1);
        dim.kernel = {false, 0, std::log(dim.lower), std::log(dim.upper), 0.0};
        break;
    case Primitive::quniform:
        dim.encoding = Encoding::grid;
        float_grid(dim, number(0), number(1), number(2, "q"), false);
        break;
    case Primitive::qloguniform:
        dim.encoding = Encoding::log_grid;
        float_grid(dim, number(0), number(1), number(2, "q"), true);
        break;
    case Primitive::randn:
    case Primitive::qrandn:
        dim.encoding = Encoding::normal;
        dim.mean = number(0, nullptr, 0.0);
        dim.sd = number(1, nullptr, 1.0);
        if (p == Primitive::qrandn) {
            dim.q = number(2, "q");
            dim.q_decimals = space::decimals_of(dim.q);
        }
        dim.kernel = {false, 0, 0.0, 1.0, 0.0};
        break;
    case Primitive::randint:
        dim.encoding = Encoding::grid;
        integer_grid(dim, integer(0), integer(1) - 1, 1, false);
        break;
    case Primitive::lograndint:
        dim.encoding = Encoding::log_grid;
        integer_grid(dim, integer(0), integer(1) - 1, 1, true);
        break;
    case Primitive::qrandint:
    case Primitive::qlograndint: {
        const std::int64_t lower = integer(0), upper = integer(1), q = integer(2, "q", 1);
        const bool log = p == Primitive::qlograndint;
        dim.encoding = log ? Encoding::log_grid : Encoding::grid;
        integer_grid(dim, -space::floor_div(-lower, q) * q, space::floor_div(upper, q) * q, q, log);
        break;
    }
    case Primitive::choice:
        dim.encoding = Encoding::categorical;
        dim.kernel = {true, domain.values().size(), 0.0, 0.0, 0.0};
        dim.single = domain.values().size() == 1;
        break;
    case Primitive::grid_search:
        throw ConfigError(key_path + ": grid_search cannot be modelled by TPE, which chooses every value itself; "
                                     "write choice to let TPE pick among the values, or use the grid or random "
                                     "searcher");
    case Primitive::sample_from:
        break;
    }
    return dim;
}

Dimension call_dimension(const space::RandomCall &call, const std::string &key_path, std::size_t index,
                         const std::string &text) {
    Dimension dim;
    dim.name = key_path + "#" + std::to_string(index);
    dim.call = index;
    dim.function = call.function;
    const std::string quoted = "sample_from expression '" + text + "': " + call.text;
    const bool constant = std::all_of(call.arguments.begin(), call.arguments.end(),
                                      [](const std::optional<double> &a) { return a.has_value(); });
    if (call.function == "choice") {
        dim.encoding = Encoding::categorical;
        dim.kernel = {true, call.arguments.size(), 0.0, 0.0, 0.0};
        dim.single = call.arguments.size() == 1;
        return dim;
    }
    if (call.function == "randn") {
        // A normal draw, modelled through its quantile whatever its mean and sd.
        if (constant && !(*call.arguments[1] > 0.0)) throw ConfigError(key_path + ": " + quoted + " needs sd > 0");
        dim.encoding = Encoding::normal;
        dim.kernel = {false, 0, 0.0, 1.0, 0.0};
        return dim;
    }
    if (!constant) {
        // Bounds that vary: the draw's quantile in [0, 1), mapped through the bounds at evaluation.
        dim.encoding = Encoding::quantile;
        dim.kernel = {false, 0, 0.0, 1.0, 0.0};
        return dim;
    }
    const double a = *call.arguments[0], b = *call.arguments[1];
    const auto refuse = [&](const std::string &why) {
        throw ConfigError(key_path + ": " + quoted + " cannot be modelled by TPE: " + why);
    };
    if (call.function == "randint") {
        if (a != std::floor(a) || b != std::floor(b) || !(a < b) || b - a > kMaxExactInteger)
            refuse("it needs integer bounds with lower < upper");
        dim.encoding = Encoding::grid;
        integer_grid(dim, static_cast<std::int64_t>(a), static_cast<std::int64_t>(b) - 1, 1, false);
    } else if (call.function == "uniform") {
        if (!(a < b)) refuse("it needs lower < upper");
        dim.encoding = Encoding::uniform;
        dim.lower = a;
        dim.upper = b;
        dim.kernel = {false, 0, a, b, 0.0};
    } else {
        if (!(a > 0.0 && a < b)) refuse("it needs 0 < lower < upper");
        dim.encoding = Encoding::log_uniform;
        dim.lower = a;
        dim.upper = b;
        dim.kernel = {false, 0, std::log(a), std::log(b), 0.0};
    }
    return dim;
}

// The grid value nearest to x (log grids: to exp(x)), inside the grid.
double grid_value(const Dimension &dim, double x) {
    const double v = dim.encoding == Encoding::log_grid ? std::exp(x) : x;
    if (dim.integer)
        return std::clamp(dim.lower + std::nearbyint((v - dim.lower) / dim.q) * dim.q, dim.lower, dim.upper);
    const double step = std::clamp(std::nearbyint(v / dim.q), dim.first_step, dim.last_step);
    return (dim.q_decimals ? space::round_to_decimals(step * dim.q, *dim.q_decimals) : step * dim.q) + 0.0;
}

// The value at quantile x of a normal domain, quantized for qrandn as the domain quantizes.
double normal_value(const Dimension &dim, double x) {
    const double value = dim.mean + dim.sd * ndtri(clamp_quantile(x));
    if (dim.q == 0.0) return value;
    const double quantized = std::nearbyint(value / dim.q) * dim.q;
    return (dim.q_decimals ? space::round_to_decimals(quantized, *dim.q_decimals) : quantized) + 0.0;
}

double bounded(const Dimension &dim, double value) {
    return std::clamp(value, dim.lower, std::nextafter(dim.upper, dim.lower));
}

} // namespace

TpeSpace TpeSpace::build(const json &space_json) {
    TpeSpace result;
    try {
        result.space_ = space::SearchSpace::parse(space_json);
    } catch (const space::SpaceError &error) {
        throw ConfigError(error.what());
    }
    const auto &parameters = result.space_.parameters();
    result.domain_dimension_.resize(parameters.size());
    result.call_dimensions_.resize(parameters.size());
    result.references_.resize(parameters.size());
    for (std::size_t p = 0; p < parameters.size(); ++p) {
        const space::Parameter &parameter = parameters[p];
        if (const auto *domain = std::get_if<space::Domain>(&parameter.definition)) {
            Dimension dim = domain_dimension(*domain, node_at(space_json, parameter.key), parameter.key_path);
            dim.parameter = p;
            result.domain_dimension_[p] = result.dimensions_.size();
            result.dimensions_.push_back(std::move(dim));
        } else if (const auto *expression = std::get_if<space::Expression>(&parameter.definition)) {
            const auto &calls = expression->random_calls();
            for (std::size_t k = 0; k < calls.size(); ++k) {
                Dimension dim = call_dimension(calls[k], parameter.key_path, k, expression->text());
                dim.parameter = p;
                result.call_dimensions_[p].push_back(result.dimensions_.size());
                result.dimensions_.push_back(std::move(dim));
            }
            for (const std::string &reference : expression->references()) {
                const auto found = std::find_if(parameters.begin(), parameters.end(),
                                                [&](const space::Parameter &q) { return q.key_path == reference; });
                result.references_[p].push_back(static_cast<std::size_t>(found - parameters.begin()));
            }
        }
    }
    for (std::size_t d = 0; d < result.dimensions_.size(); ++d)
        if (!result.dimensions_[d].single) result.modelled_.push_back(d);

    // Expressions after the expressions they read (the space library refused cycles).
    std::vector<bool> done(parameters.size(), false);
    std::function<void(std::size_t)> visit = [&](std::size_t p) {
        done[p] = true;
        for (const std::size_t r : result.references_[p])
            if (!done[r] && std::holds_alternative<space::Expression>(parameters[r].definition)) visit(r);
        result.evaluation_order_.push_back(p);
    };
    for (std::size_t p = 0; p < parameters.size(); ++p)
        if (!done[p] && std::holds_alternative<space::Expression>(parameters[p].definition)) visit(p);
    return result;
}

double TpeSpace::sample_prior(std::size_t d, std::mt19937_64 &rng) const {
    const Dimension &dim = dimensions_.at(d);
    if (dim.single) return canonical(d, dim.encoding == Encoding::categorical ? 0.0 : dim.kernel.low);
    if (dim.encoding == Encoding::categorical)
        return static_cast<double>(space::uniform_below(rng, dim.kernel.categories));
    if (!dim.call) {
        // The domain's own draw, as the random searcher makes it.
        const auto &domain = std::get<space::Domain>(space_.parameters()[dim.parameter].definition);
        return encode(dim, domain.sample(rng).get<double>());
    }
    switch (dim.encoding) {
    case Encoding::grid: // randint(a, b), drawn as the expression draws it
        return dim.lower +
               static_cast<double>(space::uniform_below(rng, static_cast<std::uint64_t>(dim.upper - dim.lower) + 1));
    case Encoding::uniform:
        return space::uniform_real(rng, dim.lower, dim.upper);
    case Encoding::log_uniform: // loguniform(a, b), drawn as the expression draws it
        return std::log(bounded(dim, std::exp(space::uniform_real(rng, dim.kernel.low, dim.kernel.high))));
    case Encoding::normal:
        return clamp_quantile(ndtr(space::standard_normal(rng)));
    default: // quantile
        return space::uniform01(rng);
    }
}

double TpeSpace::encode(const Dimension &dim, double value) const {
    switch (dim.encoding) {
    case Encoding::log_uniform:
    case Encoding::log_grid:
        return std::log(value);
    case Encoding::normal:
        return clamp_quantile(ndtr((value - dim.mean) / dim.sd));
    default:
        return value;
    }
}

json TpeSpace::decode(const Dimension &dim, double x) const {
    switch (dim.encoding) {
    case Encoding::uniform:
        return bounded(dim, x);
    case Encoding::log_uniform:
        return bounded(dim, std::exp(x));
    case Encoding::grid:
    case Encoding::log_grid:
        if (dim.integer) return static_cast<std::int64_t>(grid_value(dim, x));
        return grid_value(dim, x);
    case Encoding::normal:
        return normal_value(dim, x);
    case Encoding::categorical: {
        const auto &domain = std::get<space::Domain>(space_.parameters()[dim.parameter].definition);
        return domain.values().at(static_cast<std::size_t>(x));
    }
    case Encoding::quantile:
        break;
    }
    throw std::logic_error("a quantile dimension decodes only inside its expression");
}

double TpeSpace::call_value(const Dimension &dim, double x, const std::vector<double> &arguments) const {
    switch (dim.encoding) {
    case Encoding::grid:
    case Encoding::log_grid:
        return grid_value(dim, x);
    case Encoding::uniform:
        return bounded(dim, x);
    case Encoding::log_uniform:
        return bounded(dim, std::exp(x));
    case Encoding::normal: // randn(mean, sd), whatever the arguments
        return arguments[0] + arguments[1] * ndtri(clamp_quantile(x));
    case Encoding::categorical:
        return arguments.at(static_cast<std::size_t>(x));
    case Encoding::quantile:
        break;
    }
    // The draw at quantile u of the function with these arguments.
    const double a = arguments[0], b = arguments[1], u = std::clamp(x, 0.0, std::nextafter(1.0, 0.0));
    if (dim.function == "randint") return a + std::min(std::floor(u * (b - a)), b - a - 1.0);
    if (dim.function == "uniform") {
        const double value = (1.0 - u) * a + u * b;
        return value < b ? value : std::nextafter(b, a);
    }
    return std::clamp(std::exp((1.0 - u) * std::log(a) + u * std::log(b)), a, std::nextafter(b, a));
}

double TpeSpace::canonical(std::size_t d, double x) const {
    const Dimension &dim = dimensions_.at(d);
    switch (dim.encoding) {
    case Encoding::uniform:
        return bounded(dim, x);
    case Encoding::log_uniform:
        return std::log(bounded(dim, std::exp(x)));
    case Encoding::grid:
    case Encoding::log_grid:
        return encode(dim, grid_value(dim, x));
    case Encoding::normal:
        return dim.q == 0.0 ? clamp_quantile(x) : encode(dim, normal_value(dim, x));
    case Encoding::categorical:
        return std::clamp(std::nearbyint(x), 0.0, static_cast<double>(dim.kernel.categories - 1));
    case Encoding::quantile:
        break;
    }
    return std::clamp(x, 0.0, std::nextafter(1.0, 0.0));
}

json TpeSpace::config(const std::vector<double> &values) const {
    const auto &parameters = space_.parameters();
    std::vector<json> resolved(parameters.size());
    for (std::size_t p = 0; p < parameters.size(); ++p) {
        if (const auto *constant = std::get_if<json>(&parameters[p].definition))
            resolved[p] = *constant;
        else if (domain_dimension_[p])
            resolved[p] = decode(dimensions_[*domain_dimension_[p]], values[*domain_dimension_[p]]);
    }
    for (const std::size_t p : evaluation_order_) {
        std::vector<double> references;
        for (const std::size_t r : references_[p]) references.push_back(resolved[r].get<double>());
        const auto &expression = std::get<space::Expression>(parameters[p].definition);
        resolved[p] = expression.evaluate_with(references, [&](std::size_t call, const std::vector<double> &arguments) {
            const std::size_t d = call_dimensions_[p][call];
            return call_value(dimensions_[d], values[d], arguments);
        });
    }
    json config = json::object();
    for (std::size_t p = 0; p < parameters.size(); ++p) {
        const std::vector<std::string> &key = parameters[p].key;
        json *table = &config;
        for (std::size_t depth = 0; depth + 1 < key.size(); ++depth) table = &(*table)[key[depth]];
        (*table)[key.back()] = std::move(resolved[p]);
    }
    return config;
}

} // namespace tune::tpe
