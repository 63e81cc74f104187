#include "tune/space/expression.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <stdexcept>
#include <string>
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

// The argument checks of the random functions, shared by the draws and by evaluate_with.
void check_randint(double lower, double upper) {
    const std::string call = "randint(" + text(lower) + ", " + text(upper) + ")";
    if (lower != std::floor(lower) || upper != std::floor(upper))
        throw FunctionError(call + " needs integer bounds");
    if (!(lower < upper)) throw FunctionError(call + " needs lower < upper (upper is exclusive)");
    if (upper - lower > max_exact_integer) throw FunctionError(call + " spans more than 2^53 integers");
}

void check_uniform(double lower, double upper) {
    if (!(lower < upper))
        throw FunctionError("uniform(" + text(lower) + ", " + text(upper) + ") needs lower < upper");
}

void check_loguniform(double lower, double upper) {
    if (!(lower > 0.0 && lower < upper))
        throw FunctionError("loguniform(" + text(lower) + ", " + text(upper) + ") needs 0 < lower < upper");
}

void check_randn(const double *arguments, int count) {
    if (count != 2)
        throw FunctionError("randn takes no arguments or (mean, sd), found " + std::to_string(count) + " arguments");
    if (!(arguments[1] > 0.0))
        throw FunctionError("randn(" + text(arguments[0]) + ", " + text(arguments[1]) + ") needs sd > 0");
}

double randint_function(void *rng, double lower, double upper) {
    check_randint(lower, upper);
    return lower + static_cast<double>(uniform_below(generator(rng), static_cast<std::uint64_t>(upper - lower)));
}

double uniform_function(void *rng, double lower, double upper) {
    check_uniform(lower, upper);
    return uniform_real(generator(rng), lower, upper);
}

double loguniform_function(void *rng, double lower, double upper) {
    check_loguniform(lower, upper);
    const double value = std::exp(uniform_real(generator(rng), std::log(lower), std::log(upper)));
    return std::clamp(value, lower, std::nextafter(upper, lower));
}

// randn() or randn(mean, sd). muParser has no overloads and no variadic call without
// arguments, so the translation turns randn() into randn(0,1).
double randn_function(void *rng, const double *arguments, int count) {
    check_randn(arguments, count);
    return arguments[0] + arguments[1] * standard_normal(generator(rng));
}

double choice_function(void *rng, const double *arguments, int count) {
    return arguments[uniform_below(generator(rng), static_cast<std::uint64_t>(count))];
}

// The random functions, in the order find_random_calls looks for them.
constexpr const char *random_function_names[] = {"randint", "uniform", "loguniform", "randn", "choice"};

// Checks the arguments of a random call as the random function itself does.
void check_call(const std::string &function, const double *arguments, int count) {
    const auto two = [&](void (*check)(double, double)) {
        if (count != 2)
            throw FunctionError(function + " takes 2 arguments, found " + std::to_string(count));
        check(arguments[0], arguments[1]);
    };
    if (function == "randint") two(check_randint);
    else if (function == "uniform") two(check_uniform);
    else if (function == "loguniform") two(check_loguniform);
    else if (function == "randn") check_randn(arguments, count);
    else if (count < 1) throw FunctionError("choice needs at least one argument");
}

// What a renamed random call in evaluate_with reads: the call and where its value comes from.
struct CallContext {
    const std::string *function;
    std::size_t index;
    const Expression::CallValue *value;
};

double substituted_call(void *data, const double *arguments, int count) {
    const auto &context = *static_cast<const CallContext *>(data);
    check_call(*context.function, arguments, count);
    return (*context.value)(context.index, std::vector<double>(arguments, arguments + count));
}

double floor_function(double value) { return std::floor(value); }
double ceil_function(double value) { return std::ceil(value); }

// Every function an expression may call beyond muParser's own. The random ones are marked
// not optimizable, so that muParser never folds randint(2, 9) into a constant.
void define_deterministic_functions(mu::Parser &parser) {
    parser.DefineNameChars(name_characters);
    parser.DefineFun("floor", floor_function);
    parser.DefineFun("ceil", ceil_function);
}

void define_functions(mu::Parser &parser, std::mt19937_64 &rng) {
    define_deterministic_functions(parser);
    parser.DefineFunUserData("randint", randint_function, &rng, false);
    parser.DefineFunUserData("uniform", uniform_function, &rng, false);
    parser.DefineFunUserData("loguniform", loguniform_function, &rng, false);
    parser.DefineFunUserData("randn", randn_function, &rng, false);
    parser.DefineFunUserData("choice", choice_function, &rng, false);
}

// The value of a piece of an expression that reads no parameter and calls no random function
// (an argument such as "2" or "2 ** 3"), or nullopt.
std::optional<double> constant_value(const std::string &piece) {
    try {
        std::mt19937_64 unused;
        mu::Parser parser;
        define_functions(parser, unused);
        parser.SetExpr(piece);
        if (!parser.GetUsedVar().empty()) return std::nullopt;
        const double value = parser.Eval();
        if (parser.GetNumResults() != 1) return std::nullopt;
        return value;
    } catch (const mu::ParserError &) {
        return std::nullopt;
    } catch (const FunctionError &) {
        return std::nullopt;
    }
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
    expression.find_random_calls();
    return expression;
}

void Expression::find_random_calls() {
    struct Span {
        std::size_t name, open, close;      // in translated_
        std::vector<std::size_t> separators; // the top-level commas between the arguments
    };
    std::vector<Span> spans;
    for (std::size_t position = 0; position < translated_.size(); ++position) {
        if (position > 0 && is_name_character(translated_[position - 1])) continue;
        for (const char *function : random_function_names) {
            const std::size_t length = std::char_traits<char>::length(function);
            if (translated_.compare(position, length, function) != 0 || position + length >= translated_.size() ||
                translated_[position + length] != '(')
                continue;
            Span span{position, position + length, std::string::npos, {}};
            int depth = 0;
            for (std::size_t i = span.open; i < translated_.size(); ++i) {
                if (translated_[i] == '(') ++depth;
                else if (translated_[i] == ')' && --depth == 0) {
                    span.close = i;
                    break;
                } else if (translated_[i] == ',' && depth == 1) span.separators.push_back(i);
            }
            if (span.close == std::string::npos) continue; // cannot happen in an expression that parsed
            RandomCall call;
            call.function = function;
            const std::size_t first = source_positions_[span.name], last = source_positions_[span.close];
            call.text = last > first ? text_.substr(first, last - first + 1) : call.function + "()";
            spans.push_back(span);
            random_calls_.push_back(std::move(call));
            break;
        }
    }
    for (std::size_t k = 0; k < spans.size(); ++k) {
        const Span &span = spans[k];
        std::vector<std::size_t> bounds{span.open};
        bounds.insert(bounds.end(), span.separators.begin(), span.separators.end());
        bounds.push_back(span.close);
        for (std::size_t a = 0; a + 1 < bounds.size(); ++a) {
            const std::size_t begin = bounds[a] + 1, end = bounds[a + 1];
            // An argument with a random call inside draws: it is not a constant.
            const bool draws = std::any_of(spans.begin(), spans.end(),
                                           [&](const Span &other) { return other.name >= begin && other.name < end; });
            random_calls_[k].arguments.push_back(draws ? std::nullopt
                                                       : constant_value(translated_.substr(begin, end - begin)));
        }
    }
    // The text evaluate_with reads: each call renamed to a function of its own. ".." keeps the
    // names apart from every key path (no key is empty).
    std::size_t next = 0;
    for (std::size_t k = 0; k < spans.size(); ++k) {
        call_names_.push_back(random_calls_[k].function + ".." + std::to_string(k));
        const std::size_t name_end = spans[k].open;
        for (; next < spans[k].name; ++next) {
            substituted_ += translated_[next];
            substituted_positions_.push_back(source_positions_[next]);
        }
        substituted_ += call_names_[k];
        substituted_positions_.insert(substituted_positions_.end(), call_names_[k].size(), source_positions_[next]);
        next = name_end;
    }
    for (; next < translated_.size(); ++next) {
        substituted_ += translated_[next];
        substituted_positions_.push_back(source_positions_[next]);
    }
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
    return result_value(result);
}

json Expression::evaluate_with(const std::vector<double> &reference_values, const CallValue &call_value) const {
    if (reference_values.size() != references_.size())
        throw std::invalid_argument("Expression::evaluate_with needs one value per reference");
    std::vector<double> variables = reference_values; // muParser reads variables through pointers
    std::vector<CallContext> contexts;
    contexts.reserve(random_calls_.size());
    for (std::size_t k = 0; k < random_calls_.size(); ++k)
        contexts.push_back({&random_calls_[k].function, k, &call_value});
    double result = 0.0;
    const std::string quoted = "sample_from expression '" + text_ + "'";
    try {
        mu::Parser parser;
        define_deterministic_functions(parser);
        for (std::size_t k = 0; k < random_calls_.size(); ++k)
            parser.DefineFunUserData(call_names_[k], substituted_call, &contexts[k], false);
        for (std::size_t i = 0; i < references_.size(); ++i) parser.DefineVar(references_[i], &variables[i]);
        parser.SetExpr(substituted_);
        result = parser.Eval();
        if (parser.GetNumResults() != 1)
            throw SpaceError(key_path_, quoted + " must yield one value, found " +
                                            std::to_string(parser.GetNumResults()) + " comma-separated values");
    } catch (const mu::ParserError &error) {
        throw SpaceError(key_path_, quoted + " cannot be evaluated: " + describe(error, substituted_positions_));
    } catch (const FunctionError &error) {
        throw SpaceError(key_path_, quoted + " failed: " + error.what());
    }
    return result_value(result);
}

json Expression::result_value(double result) const {
    const std::string quoted = "sample_from expression '" + text_ + "'";
    if (!std::isfinite(result))
        throw SpaceError(key_path_, quoted + " evaluated to " + (std::isnan(result) ? "nan" : "an infinity") +
                                        ", expected a finite number");
    if (result == std::floor(result) && std::abs(result) <= max_exact_integer)
        return static_cast<std::int64_t>(result);
    return result;
}

std::string Expression::describe(const mu::ParserError &error, const std::vector<std::size_t> &positions) const {
    // Generic errors carry their own message; the others are rebuilt from the code so that
    // the position they print points into the text as written, not into the translation.
    if (error.GetPos() < 0 || error.GetCode() == mu::ecGENERIC) return error.GetMsg();
    const auto position = static_cast<std::size_t>(error.GetPos());
    const std::size_t source_position = position < positions.size() ? positions[position] : text_.size();
    return mu::ParserError(error.GetCode(), static_cast<int>(source_position), error.GetToken()).GetMsg();
}

} // namespace tune::space
