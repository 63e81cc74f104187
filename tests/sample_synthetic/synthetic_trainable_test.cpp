// The synthetic test functions trainable (org.tune.sample.synthetic), loaded through the host's
// adapter: known values at the published minimisers and at other points, one-step trials,
// config errors naming the key, save/restore/reset, the conformance checks, and the
// benchmark's experiment files (bench/tpe) validating against it.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "core/plugin/host_services.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/plugin/plugin_library.hpp"
#include "core/plugin/trainable_adapter.hpp"
#include "support/test_paths.hpp"

using nlohmann::json;
using tune::core::PluginCallError;
using tune::core::PluginLibrary;
using tune::core::TrainableAdapter;
using tune::core::TrialContextArgs;
using Catch::Matchers::Contains;

namespace {

constexpr double pi = 3.14159265358979323846;
constexpr const char *library = "tune_sample_synthetic.so";
constexpr const char *plugin_id = "org.tune.sample.synthetic";

TrainableAdapter make() {
    return TrainableAdapter(
        PluginLibrary::load(tune::test::plugin_dir() / library)->create(plugin_id, tune::core::host_services()));
}

TrialContextArgs context_in(const tune::test::TempDir &dir) { return {"00000", dir.path().string(), 1, 0.0, 7}; }

json config_of(const std::string &function, const std::vector<double> &x, json extra = json::object()) {
    json config = std::move(extra);
    config["function"] = function;
    for (std::size_t i = 0; i < x.size(); ++i) config["x" + std::to_string(i + 1)] = x[i];
    return config;
}

// One step of a fresh instance at x.
json step_at(const std::string &function, const std::vector<double> &x, json extra = json::object()) {
    tune::test::TempDir dir;
    auto trainable = make();
    trainable.setup(config_of(function, x, std::move(extra)).dump(), context_in(dir));
    return json::parse(trainable.step());
}

double value_at(const std::string &function, const std::vector<double> &x, json extra = json::object()) {
    return step_at(function, x, std::move(extra)).at("value").get<double>();
}

std::string setup_error(const json &config) {
    tune::test::TempDir dir;
    auto trainable = make();
    try {
        trainable.setup(config.dump(), context_in(dir));
    } catch (const PluginCallError &e) {
        CHECK(e.status() == TUNE_ERROR_INVALID_CONFIG);
        return e.what();
    }
    FAIL("setup accepted " << config.dump());
    return "";
}

} // namespace

TEST_CASE("synthetic: Branin is 5/(4 pi) = 0.397887 at its three minimisers", "[synthetic]") {
    const double minimum = 5.0 / (4.0 * pi);
    CHECK(minimum == Approx(0.397887).epsilon(1e-6));
    for (const auto &x : std::vector<std::vector<double>>{{-pi, 12.275}, {pi, 2.275}, {3 * pi, 2.475}}) {
        INFO("x = (" << x[0] << ", " << x[1] << ")");
        const json result = step_at("branin", x);
        CHECK(result.at("value").get<double>() == Approx(minimum).epsilon(1e-12));
        CHECK(result.at("regret").get<double>() == Approx(0.0).margin(1e-12));
        CHECK(result.at("regret").get<double>() >= 0.0); // never below 0, whatever the rounding
        CHECK(result.at("done") == true);
    }
}

TEST_CASE("synthetic: Branin at other points", "[synthetic]") {
    CHECK(value_at("branin", {0, 0}) == Approx(55.602112642270264).epsilon(1e-12));
    CHECK(value_at("branin", {-5, 0}) == Approx(308.12909601160663).epsilon(1e-12));
    CHECK(value_at("branin", {10, 15}) == Approx(145.87219087939556).epsilon(1e-12));
    CHECK(value_at("branin", {2.5, 7.5}) == Approx(24.129964413622268).epsilon(1e-12));
    const json result = step_at("branin", {1, 1});
    CHECK(result.at("value").get<double>() == Approx(27.702905548512433).epsilon(1e-12));
    CHECK(result.at("regret").get<double>() == Approx(27.702905548512433 - 5.0 / (4.0 * pi)).epsilon(1e-12));
}

TEST_CASE("synthetic: Hartmann-6 is -3.32237 at its minimiser and higher elsewhere", "[synthetic]") {
    const std::vector<double> minimiser = {0.20168951100670543, 0.15001069182345797, 0.47687397422189703,
                                           0.2753324304940561,  0.31165161660011326, 0.6573005340656204};
    const json result = step_at("hartmann6", minimiser);
    CHECK(result.at("value").get<double>() == Approx(-3.32237).epsilon(1e-6));
    CHECK(result.at("regret").get<double>() == Approx(0.0).margin(1e-12));
    CHECK(result.at("regret").get<double>() >= 0.0);
    // The published minimiser, to six decimals.
    CHECK(value_at("hartmann6", {0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573}) ==
          Approx(-3.322368011391339).epsilon(1e-12));
    CHECK(value_at("hartmann6", {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}) == Approx(-0.5053149917022333).epsilon(1e-12));
    CHECK(value_at("hartmann6", {0, 0, 0, 0, 0, 0}) == Approx(-0.00508911288366444).epsilon(1e-12));
    CHECK(value_at("hartmann6", {1, 1, 1, 1, 1, 1}) == Approx(-3.408539273427753e-05).epsilon(1e-10));
    CHECK(value_at("hartmann6", {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}) == Approx(-1.4069105761385297).epsilon(1e-12));
}

TEST_CASE("synthetic: Hartmann-3 is -3.86278 at its minimiser and higher elsewhere", "[synthetic]") {
    const json result = step_at("hartmann3", {0.11458887665506896, 0.5556488946169301, 0.8525469846866774});
    CHECK(result.at("value").get<double>() == Approx(-3.86278).epsilon(1e-6));
    CHECK(result.at("regret").get<double>() == Approx(0.0).margin(1e-12));
    CHECK(value_at("hartmann3", {0.114614, 0.555649, 0.852547}) == Approx(-3.8627797869493365).epsilon(1e-12));
    CHECK(value_at("hartmann3", {0.5, 0.5, 0.5}) == Approx(-0.6280220150705937).epsilon(1e-12));
    CHECK(value_at("hartmann3", {0.1, 0.2, 0.3}) == Approx(-0.7329114876560026).epsilon(1e-12));
}

TEST_CASE("synthetic: Rosenbrock and the sphere in any dimension", "[synthetic]") {
    const std::vector<double> ones(10, 1.0), zeros(10, 0.0);
    CHECK(value_at("rosenbrock", ones) == 0.0); // 10 dimensions by default
    CHECK(value_at("rosenbrock", zeros) == Approx(9.0));
    CHECK(value_at("rosenbrock", {-1.2, 1.0}, {{"dimensions", 2}}) == Approx(24.2));
    CHECK(value_at("rosenbrock", {2, 3, 4}, {{"dimensions", 3}}) == Approx(2605.0));
    CHECK(value_at("sphere", zeros) == 0.0);
    CHECK(value_at("sphere", ones) == Approx(10.0));
    const json result = step_at("sphere", {3, -4}, {{"dimensions", 2}});
    CHECK(result.at("value").get<double>() == Approx(25.0));
    CHECK(result.at("regret").get<double>() == Approx(25.0));
}

TEST_CASE("synthetic: every step is the same one-step result and integers are coordinates too", "[synthetic]") {
    tune::test::TempDir dir;
    auto trainable = make();
    trainable.setup(R"({"function": "branin", "x1": 0, "x2": 0, "other": "ignored"})", context_in(dir));
    const std::string first = trainable.step();
    CHECK(json::parse(first).at("value").get<double>() == Approx(55.602112642270264));
    CHECK(json::parse(first).at("done") == true);
    CHECK(trainable.step() == first);
}

TEST_CASE("synthetic: save, restore and reset", "[synthetic]") {
    tune::test::TempDir dir;
    const std::string config = config_of("hartmann6", {0.5, 0.5, 0.5, 0.5, 0.5, 0.5}).dump();
    auto original = make();
    original.setup(config, context_in(dir));
    original.step();
    original.save(dir.path().string());
    const std::string next = original.step();

    auto restored = make();
    restored.setup(config, context_in(dir));
    restored.restore(dir.path().string());
    CHECK(restored.step() == next);

    auto other = make();
    other.setup(config_of("branin", {0, 0}).dump(), context_in(dir));
    CHECK_THROWS_WITH(other.restore(dir.path().string()), Contains("not a checkpoint of branin"));
    tune::test::TempDir empty;
    CHECK_THROWS_WITH(other.restore(empty.path().string()), Contains("checkpoint file missing"));

    REQUIRE(original.reset(config_of("branin", {pi, 2.275}).dump(), context_in(dir)));
    CHECK(json::parse(original.step()).at("value").get<double>() == Approx(5.0 / (4.0 * pi)));
}

TEST_CASE("synthetic: calls before setup or after a failed setup are state errors", "[synthetic]") {
    tune::test::TempDir dir;
    auto trainable = make();
    CHECK_THROWS_WITH(trainable.step(), Contains("not set up"));
    trainable.setup(config_of("branin", {0, 0}).dump(), context_in(dir));
    CHECK_NOTHROW(trainable.step());
    CHECK_THROWS(trainable.setup(config_of("branin", {0, 20}).dump(), context_in(dir)));
    try {
        trainable.step();
        FAIL("step after a failed setup should have thrown");
    } catch (const PluginCallError &e) {
        CHECK(e.status() == TUNE_ERROR_STATE);
    }
}

TEST_CASE("synthetic: config errors name the key", "[synthetic]") {
    CHECK_THAT(setup_error({{"x1", 0}, {"x2", 0}}), Contains("'function' is missing"));
    CHECK_THAT(setup_error({{"function", 3}}), Contains("'function' must be a string"));
    CHECK_THAT(setup_error({{"function", "ackley"}}),
               Contains("'function' must be one of") && Contains("\"branin\"") && Contains("\"ackley\""));
    CHECK_THAT(setup_error(config_of("branin", {0})), Contains("'x2' is missing"));
    CHECK_THAT(setup_error({{"function", "branin"}, {"x1", "zero"}, {"x2", 0}}),
               Contains("'x1' must be a number, got string"));
    CHECK_THAT(setup_error(config_of("branin", {-5.5, 0})), Contains("'x1' must be in [-5.0, 10.0]") &&
                                                                Contains("got -5.5"));
    CHECK_THAT(setup_error(config_of("branin", {0, 15.5})), Contains("'x2' must be in [0.0, 15.0]"));
    CHECK_THAT(setup_error(config_of("hartmann6", {0.5, 0.5, 0.5, 0.5, 0.5, 1.5})), Contains("'x6' must be in [0.0, 1.0]"));
    CHECK_THAT(setup_error(config_of("branin", {0, 0, 0})), Contains("'x3' is not a coordinate of branin"));
    CHECK_THAT(setup_error(config_of("branin", {0, 0}, {{"x0", 1}})), Contains("'x0' is not a coordinate"));
    CHECK_THAT(setup_error(config_of("branin", {0, 0}, {{"dimensions", 3}})),
               Contains("'dimensions' must be 2 for branin"));
    CHECK_THAT(setup_error(config_of("sphere", {0}, {{"dimensions", 0}})), Contains("'dimensions' must be an integer in 1..100"));
    CHECK_THAT(setup_error(config_of("rosenbrock", {0}, {{"dimensions", 1}})), Contains("'dimensions' must be an integer in 2..100"));
    CHECK_THAT(setup_error(config_of("sphere", {0, 0}, {{"dimensions", 2.0}})), Contains("'dimensions' must be an integer"));
    CHECK_THAT(setup_error(config_of("sphere", std::vector<double>(9, 0.0))), Contains("'x10' is missing"));
    CHECK_THAT(setup_error(config_of("sphere", std::vector<double>(11, 0.0))), Contains("'x11' is not a coordinate"));
}

TEST_CASE("synthetic: the plugin passes tune check-plugin", "[synthetic]") {
    const auto run = tune::test::run_tune({"check-plugin", (tune::test::plugin_dir() / library).string(), "--config",
                                           R"({"function": "branin", "x1": 1.5, "x2": 4})", "--metric", "value"});
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK_THAT(run.out, Contains(" passed, 0 failed"));
}

TEST_CASE("synthetic: the benchmark's experiment files validate", "[synthetic]") {
    for (const char *name : {"branin", "hartmann6", "rosenbrock10", "sphere10"}) {
        const auto file = tune::test::source_dir() / "bench" / "tpe" / (std::string(name) + ".toml");
        const auto run = tune::test::run_tune({"validate", file.string()});
        INFO(file << ": " << run.out << run.err);
        CHECK(run.exit_code == 0);
        CHECK_THAT(run.out, Contains("trainable org.tune.sample.synthetic") &&
                                Contains("scheduler org.tune.scheduler.fifo") && Contains("num_samples 100"));
    }
}
