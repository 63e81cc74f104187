#include "tune/space/expression.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <stdexcept>
#include <string_view>

#include <muParser.h>

#include "tune/space/random.hpp"
#include "tune/space/space_error.hpp"

namespace tune::space {
namespace {

using nlohmann::json;

// Thrown by the random functions for bad arguments; evaluate() adds the key path.
class FunctionError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// muParser's name characters plus '.', so that "model.l1" is one name.
constexpr const char *name_characters = "0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.";

constexpr double max_exact_integer = 0x1.0p53;

bool is_name_character(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }

// Integral arguments print as integers: "randint(5, 2)", not "randint(5.0, 2.0)".
std::string text(double value) {
    if (value == std::floor(value) && std::abs(value) <= max_exact_integer)
        return std::to_string(static_cast<std::int64_t>(value));
    return json(value).dump();
}

std::mt19937_64 &generator(void *data) { return *static_cast<std::mt19937_64 *>(data); }

double randint_function(void *rng, double lower, double upper) {
    const std::string call = "randint(" + text(lower) + ", " + text(upper) + ")";
    if (lower != std::floor(lower) || upper != std::floor(upper))
        throw FunctionError(call + " needs integer bounds");
    if (!(lower < upper)) throw FunctionError(call + " needs lower < upper (upper is exclusive)");
    if (upper - lower > max_exact_integer) throw FunctionError(call + " spans more than 2^53 integers");
    return lower + static_cast<double>(uniform_below(generator(rng), static_cast<std::uint64_t>(upper - lower)));
}

double uniform_function(void *rng, double lower, double upper) {
    if (!(lower < upper))
        throw FunctionError("uniform(" + text(lower) + ", " + text(upper) + ") needs lower < upper");
    return uniform_real(generator(rng), lower, upper);
}

double loguniform_function(void *rng, double lower, double upper) {
    if (!(lower > 0.0 && lower < upper))
        throw FunctionError("loguniform(" + text(lower) + ", " + text(upper) + ") needs 0 < lower < upper");
    const double value = std::exp(uniform_real(generator(rng), std::log(lower), std::log(upper)));
    return std::clamp(value, lower, std::nextafter(upper, lower));
}

// randn() or randn(mean, sd). muParser has no overloads and no variadic call without
// arguments, so the translation turns randn() into randn(0,1).
double randn_function(void *rng, const double *arguments, int count) {
    if (count != 2)
        throw FunctionError("randn takes no arguments or (mean, sd), found " + std::to_string(count) + " arguments");
    const double mean = arguments[0], sd = arguments[1];
    if (!(sd > 0.0)) throw FunctionError("randn(" + text(mean) + ", " + text(sd) + ") needs sd > 0");
    return mean + sd * standard_normal(generator(rng));
}

double choice_function(void *rng, const double *arguments, int count) {
    return arguments[uniform_below(generator(rng), static_cast<std::uint64_t>(count))];
}

double floor_function(double value) { return std::floor(value); }
double ceil_function(double value) { return std::ceil(value); }

// Every function an expression may call beyond muParser's own. The random ones are marked
// not optimizable, so that muParser never folds randint(2, 9) into a constant.
void define_functions(mu::Parser &parser, std::mt19937_64 &rng) {
    parser.DefineNameChars(name_characters);
    parser.DefineFunUserData("randint", randint_function, &rng, false);
    parser.DefineFunUserData("uniform", uniform_function, &rng, false);
    parser.DefineFunUserData("loguniform", loguniform_function, &rng, false);
    parser.DefineFunUserData("randn", randn_function, &rng, false);
    parser.DefineFunUserData("choice", choice_function, &rng, false);
    parser.DefineFun("floor", floor_function);
    parser.DefineFun("ceil", ceil_function);
}

// A bare "randn(" call with nothing but spaces before ")" starting at position, if any: its length.
std::size_t bare_randn_call_length(const std::string &source, std::size_t position) {
    constexpr std::string_view call = "randn(";
    if (source.compare(position, call.size(), call) != 0) return 0;
    if (position > 0 && is_name_character(source[position - 1])) return 0;
    std::size_t end = position + call.size();
    while (end < source.size() && source[end] == ' ') ++end;
    return end < source.size() && source[end] == ')' ? end + 1 - position : 0;
}

} // namespace

Expression Expression::parse(const std::string &text, const std::string &key_path) {
    Expression expression;
    expression.key_path_ = key_path;
    expression.text_ = text;
    auto emit = [&](std::string_view piece, std::size_t source_position) {
        expression.translated_ += piece;
        expression.source_positions_.insert(expression.source_positions_.end(), piece.size(), source_position);
    };
    for (std::size_t position = 0; position < text.size();) {
        if (text.compare(position, 2, "**") == 0) {
            emit("^", position);
            position += 2;
        } else if (const std::size_t length = bare_randn_call_length(text, position)) {
            emit("randn(0,1)", position);
            position += length;
        } else {
            emit(std::string_view(text).substr(position, 1), position);
            ++position;
        }
    }

    std::mt19937_64 unused; // parsing draws nothing, but muParser wants the user data now
    mu::Parser parser;
    try {
        define_functions(parser, unused);
        parser.SetExpr(expression.translated_);
        // GetUsedVar parses with undefined names allowed and lists them (sorted: it is a map).
        for (const auto &variable : parser.GetUsedVar()) expression.references_.push_back(variable.first);
    } catch (const mu::ParserError &error) {
        throw SpaceError(key_path, "sample_from expression '" + text + "' does not parse: " + expression.describe(error));
    }
    return expression;
}

json Expression::evaluate(std::mt19937_64 &rng, const std::vector<double> &reference_values) const {
    if (reference_values.size() != references_.size())
        throw std::invalid_argument("Expression::evaluate needs one value per reference");
    std::vector<double> variables = reference_values; // muParser reads variables through pointers
    double result = 0.0;
    const std::string quoted = "sample_from expression '" + text_ + "'";
    try {
        mu::Parser parser;
        define_functions(parser, rng);
        for (std::size_t i = 0; i < references_.size(); ++i) parser.DefineVar(references_[i], &variables[i]);
        parser.SetExpr(translated_);
        result = parser.Eval();
        if (parser.GetNumResults() != 1)
            throw SpaceError(key_path_, quoted + " must yield one value, found " +
                                            std::to_string(parser.GetNumResults()) + " comma-separated values");
    } catch (const mu::ParserError &error) {
        throw SpaceError(key_path_, quoted + " cannot be evaluated: " + describe(error));
    } catch (const FunctionError &error) {
        throw SpaceError(key_path_, quoted + " failed: " + error.what());
    }
    if (!std::isfinite(result))
        throw SpaceError(key_path_, quoted + " evaluated to " + (std::isnan(result) ? "nan" : "an infinity") +
                                        ", expected a finite number");
    if (result == std::floor(result) && std::abs(result) <= max_exact_integer)
        return static_cast<std::int64_t>(result);
    return result;
}

std::string Expression::describe(const mu::ParserError &error) const {
    // Generic errors carry their own message; the others are rebuilt from the code so that
    // the position they print points into the text as written, not into the translation.
    if (error.GetPos() < 0 || error.GetCode() == mu::ecGENERIC) return error.GetMsg();
    const auto position = static_cast<std::size_t>(error.GetPos());
    const std::size_t source_position =
        position < source_positions_.size() ? source_positions_[position] : text_.size();
    return mu::ParserError(error.GetCode(), static_cast<int>(source_position), error.GetToken()).GetMsg();
}

} // namespace tune::space
