// org.example.bowl: noisy gradient descent on the bowl f(w) = (w - 3)^2, from w = 0.
// Config: "lr" (required, a number in (0, 1)); "noise" (optional, default 0.1).
// The noise of step t is drawn from a generator seeded by (seed, t), so a seed gives the
// same curve and a restored trial continues exactly.
#include <filesystem>
#include <fstream>
#include <random>

#include "tune/plugin.hpp"

class BowlTrainable final : public tune::Trainable {
public:
    static constexpr const char *id = "org.example.bowl";
    static constexpr const char *version = "1.0.0";
    static constexpr const char *description = "Noisy gradient descent on (w - 3)^2 (lr, noise)";
    // The config `tune check-plugin` uses when it is given none (ABI 1.6).
    static constexpr const char *example_config = R"({"lr": 0.1, "noise": 0.1})";

    void setup(const tune::Json &config, const tune::TrialContext &context) override {
        lr_ = tune::require<double>(config, "lr"); // a ConfigError naming the key if absent
        noise_ = tune::get_or<double>(config, "noise", 0.1);
        if (!(lr_ > 0 && lr_ < 1)) throw tune::ConfigError("config key 'lr' must be in (0, 1)");
        seed_ = context.seed;
        w_ = 0;
        t_ = 0;
    }
    tune::Json step() override {
        std::mt19937_64 rng(seed_ * 1000003 + static_cast<std::uint64_t>(++t_));
        w_ -= lr_ * (2 * (w_ - 3) + noise_ * std::normal_distribution<double>()(rng));
        return {{"loss", (w_ - 3) * (w_ - 3)}, {"w", w_}};
    }
    void save(const std::string &dir) override {
        std::ofstream(std::filesystem::path(dir) / "bowl.json") << tune::Json{{"w", w_}, {"t", t_}};
    }
    void restore(const std::string &dir) override {
        std::ifstream in(std::filesystem::path(dir) / "bowl.json");
        if (!in) throw tune::IoError("checkpoint has no bowl.json");
        tune::Json state = tune::Json::parse(in, nullptr, /*allow_exceptions=*/false);
        if (!state.is_object()) throw tune::IoError("bowl.json is not a JSON object");
        w_ = tune::require<double>(state, "w");
        t_ = tune::require<long long>(state, "t");
    }
    bool reset(const tune::Json &config, const tune::TrialContext &context) override {
        setup(config, context); // nothing outlives a trial, so reuse is just a fresh setup
        return true;
    }

private:
    double lr_ = 0, noise_ = 0, w_ = 0;
    std::uint64_t seed_ = 0;
    long long t_ = 0;
};

TUNE_PLUGIN_LIBRARY(BowlTrainable);
