// sample_from expressions: muParser syntax, Python's ** for powers, random functions drawn
// from the sampling call's generator, and references to other parameters by key path.
//
//     "2 ** randint(2, 9)"      "model.l1 * 2"      "lr * choice(1, 10, 100)"
//
// docs/search-space.md lists the functions.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mu {
class ParserError;
}

namespace tune::space {

// A call of a random function (randint, uniform, loguniform, randn, choice) in an expression,
// for searchers that choose its value themselves instead of drawing it (see evaluate_with).
struct RandomCall {
    std::string function; // "randint", "uniform", "loguniform", "randn" or "choice"
    std::string text;     // the call as written: "randint(2, 9)"
    // Each argument's value where it is a constant (reads no parameter and draws nothing),
    // else nullopt. randn() has the arguments (0, 1).
    std::vector<std::optional<double>> arguments;
};

class Expression {
public:
    // The value of random call `call` (an index into random_calls()) given the values of its
    // arguments in this evaluation, which evaluate_with has checked as the random functions do.
    using CallValue = std::function<double(std::size_t call, const std::vector<double> &arguments)>;

    // Parses text. Throws SpaceError naming key_path if it does not parse (a syntax error, an
    // unknown function, a wrong argument count). Names it does not know are references.
    static Expression parse(const std::string &text, const std::string &key_path);

    const std::string &text() const { return text_; }

    // The names the expression reads: key paths of other parameters, sorted, each once.
    const std::vector<std::string> &references() const { return references_; }

    // Evaluates the expression; reference_values holds the value of each references() entry in
    // the same order, and random functions draw from rng. Returns a JSON integer when the result
    // is integral, else a JSON float. Throws SpaceError naming the key path if a function gets
    // bad arguments or the result is not a finite number.
    nlohmann::json evaluate(std::mt19937_64 &rng, const std::vector<double> &reference_values) const;

    // The calls of random functions, in the order they appear in the text (a call inside
    // another's arguments comes after it). Each is a random draw of its own.
    const std::vector<RandomCall> &random_calls() const { return random_calls_; }

    // Evaluates the expression as evaluate() does, except that every random call takes the value
    // call_value gives it instead of a draw. A call that a conditional skips is not asked for.
    // Throws SpaceError naming the key path as evaluate() does, also for arguments a random
    // function would refuse (randint(0, 0)).
    nlohmann::json evaluate_with(const std::vector<double> &reference_values, const CallValue &call_value) const;

private:
    Expression() = default;

    void find_random_calls();
    nlohmann::json result_value(double result) const;

    // muParser's message, with the position mapped back into text_ through positions (the
    // text_ position of each character of what muParser read).
    std::string describe(const mu::ParserError &error, const std::vector<std::size_t> &positions) const;
    std::string describe(const mu::ParserError &error) const { return describe(error, source_positions_); }

    std::string key_path_;
    std::string text_;
    std::string translated_;                    // what muParser reads: ** as ^, randn() as randn(0,1)
    std::vector<std::size_t> source_positions_; // the text_ position of each translated_ character
    std::vector<std::string> references_;
    std::vector<RandomCall> random_calls_;
    // translated_ with each random call's function renamed to call_names_[i], for evaluate_with.
    std::string substituted_;
    std::vector<std::size_t> substituted_positions_;
    std::vector<std::string> call_names_;
};

} // namespace tune::space
