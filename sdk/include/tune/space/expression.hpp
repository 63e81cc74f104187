// sample_from expressions: muParser syntax, Python's ** for powers, random functions drawn
// from the sampling call's generator, and references to other parameters by key path.
//
//     "2 ** randint(2, 9)"      "model.l1 * 2"      "lr * choice(1, 10, 100)"
//
// docs/search-space.md lists the functions.
#pragma once

#include <cstddef>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mu {
class ParserError;
}

namespace tune::space {

class Expression {
public:
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

private:
    Expression() = default;

    // muParser's message, with the position mapped back into text_.
    std::string describe(const mu::ParserError &error) const;

    std::string key_path_;
    std::string text_;
    std::string translated_;                    // what muParser reads: ** as ^, randn() as randn(0,1)
    std::vector<std::size_t> source_positions_; // the text_ position of each translated_ character
    std::vector<std::string> references_;
};

} // namespace tune::space
