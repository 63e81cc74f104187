// The CIFAR-10 LibTorch trainable (org.tune.cifar10) through the host's adapter, on synthetic
// CIFAR-10 files that tune-data writes: learning, seeded determinism, save/restore
// continuity, the evaluate extension, and its config and data errors. Built only with
// TUNE_BUILD_TORCH_PLUGINS=ON (CI builds it).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/plugin/host_services.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/plugin/plugin_library.hpp"
#include "core/plugin/trainable_adapter.hpp"
#include "support/file_contents.hpp"
#include "support/synthetic_cifar.hpp"
#include "support/test_paths.hpp"

using nlohmann::json;
using tune::core::PluginCallError;
using tune::core::PluginLibrary;
using tune::core::TrainableAdapter;
using tune::core::TrialContextArgs;
using tune::test::TempDir;
using Catch::Matchers::Contains;

namespace {

namespace fs = std::filesystem;

TrainableAdapter make_trainable() {
    return TrainableAdapter(PluginLibrary::load(tune::test::plugin_dir() / "tune_cifar10.so")
                                ->create("org.tune.cifar10", tune::core::host_services()));
}

json config_for(const fs::path &data, std::int64_t seed = 11) {
    return {{"l1", 64}, {"l2", 32}, {"lr", 0.01}, {"batch_size", 8}, {"data_dir", data.string()}, {"seed", seed}};
}

TrialContextArgs context_in(const TempDir &dir) { return {"00000", dir.path().string(), 1, 0.0, 5}; }

json step(TrainableAdapter &trainable) { return json::parse(trainable.step()); }

// setup refuses config as an invalid config whose message holds message.
void expect_config_refused(TrainableAdapter &trainable, const json &config, const TrialContextArgs &context,
                           const std::string &message) {
    try {
        trainable.setup(config.dump(), context);
        FAIL("setup accepted " << config.dump());
    } catch (const PluginCallError &e) {
        CHECK(e.status() == TUNE_ERROR_INVALID_CONFIG);
        CHECK_THAT(e.what(), Contains(message));
    }
}

} // namespace

TEST_CASE("cifar10 trainer: validation accuracy rises well above chance on synthetic data", "[cifar10]") {
    TempDir dir;
    const auto data = tune::test::make_synthetic_cifar(dir, 2000, 500);
    auto trainable = make_trainable();
    trainable.setup(config_for(data).dump(), context_in(dir));
    const json first = step(trainable);
    const json second = step(trainable);
    INFO(first.dump() << " then " << second.dump());
    REQUIRE(first.contains("loss"));
    REQUIRE(first.contains("accuracy"));
    CHECK(second.at("accuracy").get<double>() > 0.5); // chance is 0.1
    CHECK(second.at("loss").get<double>() < first.at("loss").get<double>());
    CHECK(second.at("loss").get<double>() < 2.302585); // ln(10): a uniform guess
}

TEST_CASE("cifar10 trainer: the same seed gives the same results, another seed others", "[cifar10]") {
    TempDir dir;
    const auto data = tune::test::make_synthetic_cifar(dir, 2000, 500);
    auto a = make_trainable(), b = make_trainable(), c = make_trainable();
    a.setup(config_for(data, 3).dump(), context_in(dir));
    b.setup(config_for(data, 3).dump(), context_in(dir));
    c.setup(config_for(data, 4).dump(), context_in(dir));
    const json from_a = step(a), from_b = step(b), from_c = step(c);
    CHECK(from_a.at("loss").get<double>() == from_b.at("loss").get<double>());
    CHECK(from_a.at("accuracy").get<double>() == from_b.at("accuracy").get<double>());
    CHECK(from_a.at("loss").get<double>() != from_c.at("loss").get<double>());
}

TEST_CASE("cifar10 trainer: a restored trial's next epoch equals an uninterrupted one's", "[cifar10]") {
    TempDir dir;
    const auto data = tune::test::make_synthetic_cifar(dir, 2000, 500);
    const fs::path checkpoint = dir.path() / "checkpoint";
    fs::create_directories(checkpoint);

    auto uninterrupted = make_trainable();
    uninterrupted.setup(config_for(data).dump(), context_in(dir));
    step(uninterrupted);
    uninterrupted.save(checkpoint.string());
    const json second = step(uninterrupted);
    const json third = step(uninterrupted);

    // A new instance, set up with the same config, picks up after epoch 1.
    auto restored = make_trainable();
    restored.setup(config_for(data).dump(), context_in(dir));
    restored.restore(checkpoint.string());
    CHECK(step(restored) == second);
    CHECK(step(restored) == third);
    CHECK(fs::exists(checkpoint / "model.pt"));
    CHECK(fs::exists(checkpoint / "optimizer.pt"));
    CHECK(fs::exists(checkpoint / "state.json"));
}

TEST_CASE("cifar10 trainer: evaluate scores a checkpoint on the test set", "[cifar10]") {
    TempDir dir;
    const auto data = tune::test::make_synthetic_cifar(dir, 2000, 500);
    const fs::path checkpoint = dir.path() / "checkpoint";
    fs::create_directories(checkpoint);
    auto trainable = make_trainable();
    REQUIRE(trainable.can_evaluate());
    trainable.setup(config_for(data).dump(), context_in(dir));
    step(trainable);
    step(trainable);
    trainable.save(checkpoint.string());

    // Evaluated by a fresh instance, as the host does after the run.
    auto evaluator = make_trainable();
    evaluator.setup(config_for(data).dump(), context_in(dir));
    const json test = json::parse(evaluator.evaluate(checkpoint.string()));
    INFO(test.dump());
    CHECK(test.at("test_accuracy").get<double>() > 0.5);
    CHECK(test.at("test_accuracy").get<double>() <= 1.0);
    CHECK(test.at("test_loss").get<double>() > 0.0);
    CHECK(test.at("test_loss").get<double>() < 2.302585);
    // The same checkpoint scores the same twice.
    CHECK(json::parse(evaluator.evaluate(checkpoint.string())) == test);
}

TEST_CASE("cifar10 trainer: bad config values are rejected with the key named", "[cifar10]") {
    TempDir dir;
    const auto data = tune::test::make_synthetic_cifar(dir, 2000, 500);
    auto trainable = make_trainable();
    const auto rejects = [&](const json &config, const std::string &message) {
        expect_config_refused(trainable, config, context_in(dir), message);
    };
    json config = config_for(data);
    config["l1"] = 0;
    rejects(config, "'l1' must be > 0");
    config = config_for(data);
    config["lr"] = "fast";
    rejects(config, "'lr' must be a number");
    config = config_for(data);
    config.erase("batch_size");
    rejects(config, "'batch_size' is missing");
    config = config_for(data);
    config["train_subset"] = -5;
    rejects(config, "'train_subset' must be >= 0");
}

TEST_CASE("cifar10 trainer: synthetic_data writes tune-data's set into the trial's folder and trains on it",
          "[cifar10]") {
    TempDir trial, reference;
    json config = config_for(tune::test::make_synthetic_cifar(reference, 300, 60, {"--seed", "4"}));
    auto from_files = make_trainable();
    from_files.setup(config.dump(), context_in(reference));
    config.erase("data_dir");
    config["synthetic_data"] = {{"train", 300}, {"test", 60}, {"seed", 4}};
    auto generated = make_trainable();
    generated.setup(config.dump(), context_in(trial));

    // The same bytes tune-data synth writes, in <trial_dir>/synthetic_data.
    const fs::path written = trial.path() / "synthetic_data";
    for (const char *file : {"data_batch_1.bin", "data_batch_5.bin", "test_batch.bin"}) {
        INFO(file);
        REQUIRE(fs::exists(written / file));
        CHECK(tune::test::read_text(written / file) == tune::test::read_text(reference.path() / "synth" / file));
    }
    CHECK(fs::file_size(written / "test_batch.bin") == 60 * 3073);
    // And so the same results, step by step.
    CHECK(step(generated) == step(from_files));
    CHECK(step(generated) == step(from_files));
}

TEST_CASE("cifar10 trainer: data_dir and synthetic_data, both, neither or out of range, are refused naming the key",
          "[cifar10]") {
    TempDir dir;
    auto trainable = make_trainable();
    const auto rejects = [&](const json &config, const std::string &message) {
        expect_config_refused(trainable, config, context_in(dir), message);
    };
    json neither = config_for(dir.path());
    neither.erase("data_dir");
    rejects(neither, "config needs one of 'data_dir' (a folder of CIFAR-10 binary files) and 'synthetic_data'");
    json both = config_for(dir.path());
    both["synthetic_data"] = json::object();
    rejects(both, "config has both 'data_dir'");
    json synthetic = neither;
    synthetic["synthetic_data"] = 200;
    rejects(synthetic, "config key 'synthetic_data' must be an object");
    synthetic["synthetic_data"] = {{"train", 4}};
    rejects(synthetic, "config key 'synthetic_data.train' must be an integer in 5..50000, got number 4");
    synthetic["synthetic_data"] = {{"test", 10001}};
    rejects(synthetic, "'synthetic_data.test' must be an integer in 1..10000");
    synthetic["synthetic_data"] = {{"seed", -1}};
    rejects(synthetic, "'synthetic_data.seed' must be an integer in 0..18446744073709551615, got number -1");
    synthetic["synthetic_data"] = {{"trian", 200}};
    rejects(synthetic, "config key 'synthetic_data.trian' is unknown; expected train, test or seed");
    CHECK_FALSE(fs::exists(dir.path() / "synthetic_data")); // nothing written for a refused config
}

TEST_CASE("cifar10 trainer: a missing or corrupt data file fails setup naming the file", "[cifar10]") {
    TempDir dir;
    const auto data = tune::test::make_synthetic_cifar(dir, 2000, 500);
    auto trainable = make_trainable();
    const auto fails_with = [&](const std::string &message) {
        try {
            trainable.setup(config_for(data).dump(), context_in(dir));
            FAIL("setup accepted the data in " << data);
        } catch (const PluginCallError &e) {
            CHECK(e.status() == TUNE_ERROR_INVALID_CONFIG);
            CHECK_THAT(e.what(), Contains("data_dir") && Contains(message));
        }
    };
    fs::resize_file(data / "data_batch_3.bin", 3073 * 10 + 17); // a torn copy
    fails_with("data_batch_3.bin");
    fs::remove(data / "data_batch_2.bin");
    fails_with("data_batch_2.bin");
}

TEST_CASE("cifar10 trainer: tune run tunes it end to end and reports the test accuracy", "[cifar10]") {
    TempDir dir;
    const auto data = tune::test::make_synthetic_cifar(dir, 2000, 500);
    const auto run = tune::test::run_tune(
        {"run", (tune::test::source_dir() / "samples" / "cifar10_asha.toml").string(), "--set",
         "trainable.config.data_dir=" + data.string(), "--set", "experiment.results_dir=" + dir.path().string(),
         "--set", "experiment.num_samples=3", "--set", "scheduler.options.max_t=2", "--set",
         "stop.training_iteration=2", "--set", "trainable.config.train_subset=500"});
    INFO(run.out << run.err);
    REQUIRE(run.exit_code == 0);
    CHECK_THAT(run.out, Contains("test_accuracy"));
    std::ifstream summary_file(dir.path() / "cifar10_asha" / "summary.json");
    const json summary = json::parse(summary_file);
    CHECK(summary.at("trials").size() == 3);
    CHECK(summary.at("best_trial").at("evaluation").contains("test_accuracy"));
}
