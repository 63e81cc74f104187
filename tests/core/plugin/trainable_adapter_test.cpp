// The plain-C and the C++-helper trainables load and step through the host's adapter.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

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

TrainableAdapter make(const std::string &file, const std::string &id) {
    return TrainableAdapter(PluginLibrary::load(tune::test::plugin_dir() / file)->create(id, tune::core::host_services()));
}

TrialContextArgs context_in(const tune::test::TempDir &dir, std::uint64_t seed = 7) {
    return {"00000", dir.path().string(), 1, 0.0, seed};
}

double loss_of(const std::string &result) { return json::parse(result).at("loss").get<double>(); }

} // namespace

TEST_CASE("adapter: the plain-C trainable steps, saves and restores", "[adapter][c]") {
    tune::test::TempDir dir;
    auto trainable = make("tune_sample_c_quadratic.so", "org.tune.sample.c_quadratic");
    trainable.setup(R"({"x": 3.0})", context_in(dir));
    // loss(t) = (x - 1)^2 + 1/t
    CHECK(loss_of(trainable.step()) == Approx(4.0 + 1.0));
    CHECK(loss_of(trainable.step()) == Approx(4.0 + 0.5));
    trainable.save(dir.path().string());
    CHECK(loss_of(trainable.step()) == Approx(4.0 + 1.0 / 3.0));

    auto fresh = make("tune_sample_c_quadratic.so", "org.tune.sample.c_quadratic");
    fresh.setup(R"({"x": 3.0})", context_in(dir));
    fresh.restore(dir.path().string());
    CHECK(loss_of(fresh.step()) == Approx(4.0 + 1.0 / 3.0));
    CHECK_FALSE(fresh.can_evaluate());
}

TEST_CASE("adapter: the plain-C trainable rejects a bad config with its message", "[adapter][c]") {
    tune::test::TempDir dir;
    auto trainable = make("tune_sample_c_quadratic.so", "org.tune.sample.c_quadratic");
    try {
        trainable.setup(R"({"x": "three"})", context_in(dir));
        FAIL("setup should have thrown");
    } catch (const PluginCallError &e) {
        CHECK(e.status() == TUNE_ERROR_INVALID_CONFIG);
        CHECK_THAT(e.what(), Contains("org.tune.sample.c_quadratic") && Contains("setup failed") &&
                                 Contains("'x' must be a number"));
    }
}

TEST_CASE("adapter: the plain-C trainable reads its config through the host and refuses a host before ABI 1.5",
          "[adapter][c]") {
    tune::test::TempDir dir;
    auto trainable = make("tune_sample_c_quadratic.so", "org.tune.sample.c_quadratic");
    trainable.setup(R"({})", context_in(dir)); // x is optional: 0, so loss = 1 + 1/t
    CHECK(loss_of(trainable.step()) == 2.0);
    try {
        trainable.setup(R"([1])", context_in(dir));
        FAIL("setup should have thrown");
    } catch (const PluginCallError &e) {
        CHECK(e.status() == TUNE_ERROR_INVALID_CONFIG);
        CHECK_THAT(e.what(), Contains("config must be a JSON object, got array"));
    }

    // A 1.4 host: its struct ends after log, without the typed config reads.
    tune_host_t old_host = *tune::core::host_services();
    old_host.struct_size = TUNE_HOST_SIZE_1_0;
    auto library = PluginLibrary::load(tune::test::plugin_dir() / "tune_sample_c_quadratic.so");
    try {
        library->create("org.tune.sample.c_quadratic", &old_host);
        FAIL("create should have thrown");
    } catch (const PluginCallError &e) {
        CHECK(e.status() == TUNE_ERROR_NOT_SUPPORTED);
        CHECK_THAT(e.what(), Contains("needs a tune host of ABI 1.5 or later"));
    }
}

TEST_CASE("adapter: the C++ curve trainable is deterministic for a seed", "[adapter][cpp]") {
    tune::test::TempDir dir;
    auto a = make("tune_sample_curve.so", "org.tune.sample.curve");
    auto b = make("tune_sample_curve.so", "org.tune.sample.curve");
    const std::string config = R"({"x": 0.5, "y": 0.2, "rate": 0.5})";
    a.setup(config, context_in(dir, 11));
    b.setup(config, context_in(dir, 11));
    for (int i = 0; i < 5; ++i) CHECK(a.step() == b.step());

    auto other_seed = make("tune_sample_curve.so", "org.tune.sample.curve");
    other_seed.setup(config, context_in(dir, 12));
    a.setup(config, context_in(dir, 11));
    CHECK(a.step() != other_seed.step());
}

TEST_CASE("adapter: the C++ curve trainable's loss falls towards its floor", "[adapter][cpp]") {
    tune::test::TempDir dir;
    auto trainable = make("tune_sample_curve.so", "org.tune.sample.curve");
    trainable.setup(R"({"x": 0.3, "y": -0.1, "rate": 1.0, "noise": 0.0})", context_in(dir));
    double first = loss_of(trainable.step());
    double later = first;
    for (int i = 0; i < 9; ++i) later = loss_of(trainable.step());
    CHECK(first == Approx(std::exp(-1.0)));
    CHECK(later == Approx(std::exp(-10.0)).margin(1e-9));
}

TEST_CASE("adapter: a restored C++ trainable continues exactly", "[adapter][cpp]") {
    tune::test::TempDir dir;
    const std::string config = R"({"x": -0.2, "y": 0.4, "rate": 0.2, "noise": 0.05})";
    auto original = make("tune_sample_curve.so", "org.tune.sample.curve");
    original.setup(config, context_in(dir));
    original.step();
    original.step();
    original.save(dir.path().string());
    const std::string third = original.step();

    auto restored = make("tune_sample_curve.so", "org.tune.sample.curve");
    restored.setup(config, context_in(dir));
    restored.restore(dir.path().string());
    CHECK(restored.step() == third);
}

TEST_CASE("adapter: reset reuses an instance for a new config", "[adapter][cpp]") {
    tune::test::TempDir dir;
    auto trainable = make("tune_sample_curve.so", "org.tune.sample.curve");
    trainable.setup(R"({"x": 5.0, "noise": 0.0})", context_in(dir));
    trainable.step();
    trainable.step();
    REQUIRE(trainable.reset(R"({"x": 0.3, "y": -0.1, "rate": 1.0, "noise": 0.0})", context_in(dir)));
    CHECK(loss_of(trainable.step()) == Approx(std::exp(-1.0))); // iteration restarted at 1
}

TEST_CASE("adapter: C++ config errors name the key and the expected type", "[adapter][cpp]") {
    tune::test::TempDir dir;
    auto trainable = make("tune_sample_curve.so", "org.tune.sample.curve");
    CHECK_THROWS_WITH(trainable.setup(R"({"rate": "fast"})", context_in(dir)),
                      Contains("'rate' must be a number, got string"));
    CHECK_THROWS_WITH(trainable.setup(R"({"rate": -1})", context_in(dir)), Contains("'rate' must be > 0"));
    CHECK_THROWS_WITH(trainable.setup("{not json", context_in(dir)), Contains("config is not valid JSON"));
    // The instance is still usable after errors.
    trainable.setup(R"({"rate": 0.5})", context_in(dir));
    CHECK(json::parse(trainable.step()).contains("loss"));
}

TEST_CASE("adapter: a step before setup or a missing checkpoint is an error, not a crash", "[adapter][cpp]") {
    tune::test::TempDir dir;
    auto trainable = make("tune_sample_curve.so", "org.tune.sample.curve");
    trainable.setup("{}", context_in(dir));
    CHECK_THROWS_WITH(trainable.restore((dir.path() / "absent").string()), Contains("checkpoint file missing"));
}
