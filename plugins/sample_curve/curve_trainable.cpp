// org.tune.sample.curve: a trainable with a noisy analytic learning curve and no LibTorch.
//
//   loss(t) = floor + exp(-rate * t) + noise * N(0, 1),   floor = (x - 0.3)^2 + (y + 0.1)^2
//
// t is the 1-based training iteration. The best configs have x near 0.3 and y near -0.1, and
// a higher rate gets there sooner, so early stopping (ASHA) has something real to decide.
// The noise of step t is drawn from a generator seeded by (seed, t): the curve is
// deterministic for a seed and a restored trial continues exactly.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "tune/plugin.hpp"

namespace {

class CurveTrainable final : public tune::Trainable, public tune::Evaluator {
public:
    static constexpr const char *id = "org.tune.sample.curve";
    static constexpr const char *version = "1.0.0";
    static constexpr const char *description =
        "Noisy analytic learning curve (x, y, rate, noise, sleep_ms); fast, no LibTorch";
    static constexpr const char *example_config = R"({"x": 0.2, "y": 0.1, "rate": 0.5, "noise": 0.05})";

    void setup(const tune::Json &config, const tune::TrialContext &context) override {
        x_ = tune::get_or<double>(config, "x", 0.0);
        y_ = tune::get_or<double>(config, "y", 0.0);
        rate_ = tune::get_or<double>(config, "rate", 0.3);
        noise_ = tune::get_or<double>(config, "noise", 0.02);
        sleep_ms_ = tune::get_or<double>(config, "sleep_ms", 0.0);
        seed_ = tune::get_or<std::uint64_t>(config, "seed", context.seed);
        if (!(rate_ > 0.0)) throw tune::ConfigError("config key 'rate' must be > 0, got " + std::to_string(rate_));
        if (!(noise_ >= 0.0)) throw tune::ConfigError("config key 'noise' must be >= 0, got " + std::to_string(noise_));
        if (!(sleep_ms_ >= 0.0)) throw tune::ConfigError("config key 'sleep_ms' must be >= 0");
        iteration_ = 0;
    }

    tune::Json step() override {
        if (sleep_ms_ > 0) std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(sleep_ms_));
        ++iteration_;
        std::mt19937_64 rng(seed_ * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(iteration_));
        std::normal_distribution<double> normal(0.0, 1.0);
        const double loss = floor() + std::exp(-rate_ * static_cast<double>(iteration_)) + noise_ * normal(rng);
        return {{"loss", loss}, {"score", -loss}};
    }

    void save(const std::string &dir) override {
        const auto file = std::filesystem::path(dir) / "curve_state.json";
        std::ofstream out(file);
        out << tune::Json{{"iteration", iteration_}}.dump();
        if (!out.flush()) throw tune::IoError("cannot write " + file.string());
    }

    void restore(const std::string &dir) override {
        const auto file = std::filesystem::path(dir) / "curve_state.json";
        std::ifstream in(file);
        if (!in) throw tune::IoError("checkpoint file missing: " + file.string());
        tune::Json state;
        try {
            state = tune::Json::parse(in);
        } catch (const tune::Json::parse_error &e) {
            throw tune::IoError("checkpoint file " + file.string() + " is corrupt: " + e.what());
        }
        iteration_ = tune::require<long long>(state, "iteration");
    }

    bool reset(const tune::Json &config, const tune::TrialContext &context) override {
        setup(config, context);
        return true;
    }

    // The "test set" of an analytic curve: its noise-free value at the checkpoint's iteration.
    tune::Json evaluate(const std::string &checkpoint_dir) override {
        restore(checkpoint_dir);
        return {{"test_loss", floor() + std::exp(-rate_ * static_cast<double>(iteration_))}};
    }

private:
    double floor() const { return (x_ - 0.3) * (x_ - 0.3) + (y_ + 0.1) * (y_ + 0.1); }

    double x_ = 0, y_ = 0, rate_ = 0.3, noise_ = 0.02, sleep_ms_ = 0;
    std::uint64_t seed_ = 0;
    long long iteration_ = 0;
};

} // namespace

TUNE_PLUGIN_LIBRARY(CurveTrainable);
