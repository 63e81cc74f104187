// org.tune.sample.synthetic: the standard synthetic test functions of black-box optimisation,
// as a one-step trainable, so that searchers (random, TPE, ...) can be compared on problems
// with a known minimum (bench/tpe).
//
// Config keys:
//   function     "branin", "hartmann3", "hartmann6", "rosenbrock" or "sphere" (required)
//   dimensions   for rosenbrock (>= 2) and sphere (>= 1): how many coordinates, default 10,
//                at most 100; for the others it may be given only as their own dimension
//   x1 .. xd     the point, each a number within the function's domain (required)
//
// | function   | d   | domain                         | minimum              | at                       |
// | ---------- | --- | ------------------------------ | -------------------- | ------------------------ |
// | branin     | 2   | x1 in [-5, 10], x2 in [0, 15]  | 5/(4 pi) = 0.397887  | (-pi, 12.275), (pi, 2.275), (3 pi, 2.475) |
// | hartmann3  | 3   | [0, 1]^3                       | -3.86278             | (0.114589, 0.555649, 0.852547) |
// | hartmann6  | 6   | [0, 1]^6                       | -3.32237             | (0.201690, 0.150011, 0.476874, 0.275332, 0.311652, 0.657301) |
// | rosenbrock | any | [-5, 10]^d                     | 0                    | (1, ..., 1)              |
// | sphere     | any | [-5.12, 5.12]^d                | 0                    | (0, ..., 0)              |
//
// The minima are the functions' exact minimum values (Branin's in closed form, Hartmann's by
// Newton's method from the published minimiser, to double precision). Every step returns
// {"value": f(x), "regret": f(x) - minimum (0 where rounding puts it below), "done": true}:
// the trial ends after its first step. The function is deterministic; the seed plays no part.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tune/plugin.hpp"

namespace {

constexpr double pi = 3.14159265358979323846;

double branin(const std::vector<double> &x) {
    constexpr double a = 1.0, r = 6.0, s = 10.0;
    const double b = 5.1 / (4.0 * pi * pi), c = 5.0 / pi, t = 1.0 / (8.0 * pi);
    const double inner = x[1] - b * x[0] * x[0] + c * x[0] - r;
    return a * inner * inner + s * (1.0 - t) * std::cos(x[0]) + s;
}

constexpr std::array<double, 4> hartmann_alpha = {1.0, 1.2, 3.0, 3.2};

template <std::size_t D>
double hartmann(const std::vector<double> &x, const std::array<std::array<double, D>, 4> &a,
                const std::array<std::array<double, D>, 4> &p) {
    double sum = 0.0;
    for (std::size_t i = 0; i < 4; ++i) {
        double exponent = 0.0;
        for (std::size_t j = 0; j < D; ++j) exponent += a[i][j] * (x[j] - p[i][j]) * (x[j] - p[i][j]);
        sum += hartmann_alpha[i] * std::exp(-exponent);
    }
    return -sum;
}

double hartmann3(const std::vector<double> &x) {
    static constexpr std::array<std::array<double, 3>, 4> a = {{{3.0, 10.0, 30.0},
                                                                {0.1, 10.0, 35.0},
                                                                {3.0, 10.0, 30.0},
                                                                {0.1, 10.0, 35.0}}};
    static constexpr std::array<std::array<double, 3>, 4> p = {{{0.3689, 0.1170, 0.2673},
                                                                {0.4699, 0.4387, 0.7470},
                                                                {0.1091, 0.8732, 0.5547},
                                                                {0.0381, 0.5743, 0.8828}}};
    return hartmann<3>(x, a, p);
}

double hartmann6(const std::vector<double> &x) {
    static constexpr std::array<std::array<double, 6>, 4> a = {{{10.0, 3.0, 17.0, 3.5, 1.7, 8.0},
                                                                {0.05, 10.0, 17.0, 0.1, 8.0, 14.0},
                                                                {3.0, 3.5, 1.7, 10.0, 17.0, 8.0},
                                                                {17.0, 8.0, 0.05, 10.0, 0.1, 14.0}}};
    static constexpr std::array<std::array<double, 6>, 4> p = {
        {{0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
         {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991},
         {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
         {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}}};
    return hartmann<6>(x, a, p);
}

double rosenbrock(const std::vector<double> &x) {
    double sum = 0.0;
    for (std::size_t i = 0; i + 1 < x.size(); ++i)
        sum += 100.0 * (x[i + 1] - x[i] * x[i]) * (x[i + 1] - x[i] * x[i]) + (1.0 - x[i]) * (1.0 - x[i]);
    return sum;
}

double sphere(const std::vector<double> &x) {
    double sum = 0.0;
    for (double v : x) sum += v * v;
    return sum;
}

struct Function {
    const char *name;
    long long dimensions; // 0: any, from the `dimensions` key
    long long min_dimensions;
    double (*value)(const std::vector<double> &);
    double minimum;
    double lower_x1, upper_x1; // the domain of x1
    double lower, upper;       // of every other coordinate (only Branin's differ from x1's)
    double lower_of(std::size_t i) const { return i == 0 ? lower_x1 : lower; }
    double upper_of(std::size_t i) const { return i == 0 ? upper_x1 : upper; }
};

const std::array<Function, 5> functions = {{
    {"branin", 2, 2, branin, 5.0 / (4.0 * pi), -5.0, 10.0, 0.0, 15.0},
    {"hartmann3", 3, 3, hartmann3, -3.862779787332663, 0.0, 1.0, 0.0, 1.0},
    {"hartmann6", 6, 6, hartmann6, -3.322368011415515, 0.0, 1.0, 0.0, 1.0},
    {"rosenbrock", 0, 2, rosenbrock, 0.0, -5.0, 10.0, -5.0, 10.0},
    {"sphere", 0, 1, sphere, 0.0, -5.12, 5.12, -5.12, 5.12},
}};

constexpr long long max_dimensions = 100;
constexpr long long default_dimensions = 10;

std::string known_functions() {
    std::string list;
    for (const auto &f : functions) list += std::string(list.empty() ? "" : ", ") + "\"" + f.name + "\"";
    return list;
}

std::string number_text(double value) { return tune::Json(value).dump(); }

// A key of the form x<digits>: a coordinate's name.
bool is_coordinate_key(const std::string &key) {
    if (key.size() < 2 || key[0] != 'x') return false;
    for (std::size_t i = 1; i < key.size(); ++i)
        if (key[i] < '0' || key[i] > '9') return false;
    return true;
}

class SyntheticTrainable final : public tune::Trainable {
public:
    static constexpr const char *id = "org.tune.sample.synthetic";
    static constexpr const char *version = "1.0.0";
    static constexpr const char *description =
        "Synthetic test functions with known minima (function: branin, hartmann3, hartmann6, rosenbrock, sphere; "
        "x1..xd); one step returns value and regret";
    static constexpr const char *example_config = R"({"function": "branin", "x1": 2.5, "x2": 7.5})";

    // A failed setup leaves the instance as it was before any: every other call then fails.
    void setup(const tune::Json &config, const tune::TrialContext & /*context*/) override {
        function_ = nullptr;
        const auto name = tune::require<std::string>(config, "function");
        const Function *function = nullptr;
        for (const auto &f : functions)
            if (name == f.name) function = &f;
        if (!function)
            throw tune::ConfigError("config key 'function' must be one of " + known_functions() + ", got \"" + name +
                                    "\"");
        long long dimensions = function->dimensions;
        if (dimensions == 0) {
            dimensions = tune::get_or<long long>(config, "dimensions", default_dimensions);
            if (dimensions < function->min_dimensions || dimensions > max_dimensions)
                throw tune::ConfigError("config key 'dimensions' must be an integer in " +
                                        std::to_string(function->min_dimensions) + ".." +
                                        std::to_string(max_dimensions) + " for " + name + ", got " +
                                        std::to_string(dimensions));
        } else if (config.contains("dimensions") &&
                   tune::require<long long>(config, "dimensions") != function->dimensions) {
            throw tune::ConfigError("config key 'dimensions' must be " + std::to_string(function->dimensions) +
                                    " for " + name + " (its only dimension), got " + config["dimensions"].dump());
        }
        for (const auto &item : config.items()) {
            if (!is_coordinate_key(item.key())) continue;
            const auto index = item.key().substr(1);
            if (index[0] == '0' || index.size() > 3 || std::stoll(index) > dimensions)
                throw tune::ConfigError("config key '" + item.key() + "' is not a coordinate of " + name + " in " +
                                        std::to_string(dimensions) + " dimensions (x1..x" +
                                        std::to_string(dimensions) + ")");
        }
        std::vector<double> x(static_cast<std::size_t>(dimensions));
        for (std::size_t i = 0; i < x.size(); ++i) {
            const std::string key = "x" + std::to_string(i + 1);
            x[i] = tune::require<double>(config, key);
            if (!(x[i] >= function->lower_of(i) && x[i] <= function->upper_of(i)))
                throw tune::ConfigError("config key '" + key + "' must be in [" + number_text(function->lower_of(i)) +
                                        ", " + number_text(function->upper_of(i)) + "], the domain of " + name +
                                        ", got " + number_text(x[i]));
        }
        function_ = function;
        x_ = std::move(x);
        steps_ = 0;
    }

    tune::Json step() override {
        const Function &function = set_up();
        ++steps_;
        const double value = function.value(x_);
        // Rounding can put a value at a minimiser a few ulps below the minimum: a regret is >= 0.
        return {{"value", value}, {"regret", std::max(0.0, value - function.minimum)}, {"done", true}};
    }

    void save(const std::string &dir) override {
        const Function &function = set_up();
        const auto file = std::filesystem::path(dir) / "synthetic_state.json";
        std::ofstream out(file);
        out << tune::Json{{"function", function.name}, {"steps", steps_}}.dump();
        if (!out.flush()) throw tune::IoError("cannot write " + file.string());
    }

    void restore(const std::string &dir) override {
        const Function &function = set_up();
        const auto file = std::filesystem::path(dir) / "synthetic_state.json";
        std::ifstream in(file);
        if (!in) throw tune::IoError("checkpoint file missing: " + file.string());
        tune::Json state;
        try {
            state = tune::Json::parse(in);
        } catch (const tune::Json::parse_error &e) {
            throw tune::IoError("checkpoint file " + file.string() + " is corrupt: " + e.what());
        }
        if (!state.is_object() || !state.contains("function") || state["function"] != function.name)
            throw tune::IoError("checkpoint " + file.string() + " is not a checkpoint of " + function.name);
        if (!state.contains("steps") || !state["steps"].is_number_integer())
            throw tune::IoError("checkpoint " + file.string() + " has no step count");
        steps_ = state["steps"].get<long long>();
    }

    bool reset(const tune::Json &config, const tune::TrialContext &context) override {
        setup(config, context);
        return true;
    }

private:
    const Function &set_up() const {
        if (!function_) throw tune::StateError("the synthetic trainable was not set up: call setup first");
        return *function_;
    }

    const Function *function_ = nullptr;
    std::vector<double> x_;
    long long steps_ = 0;
};

} // namespace

TUNE_PLUGIN_LIBRARY(SyntheticTrainable);
