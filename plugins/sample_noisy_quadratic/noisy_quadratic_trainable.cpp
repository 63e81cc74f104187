// org.tune.sample.noisy_quadratic: stochastic gradient descent on a noisy quadratic, the
// textbook problem whose best learning rate changes during training (the sample for
// Population Based Training, docs/schedulers.md).
//
//   loss(theta) = 1/2 sum_i a_i theta_i^2,   a_i log-spaced over [curvature_min, 1]
//
// Each step takes updates_per_step SGD updates theta_i -= lr * (a_i theta_i + noise * N(0,1))
// from theta = start. A large lr moves fast along the flat directions but stalls at a noise
// floor that grows with lr; a small one has a low floor but crawls. A fixed lr must trade one
// for the other; a schedule that starts large and shrinks beats every fixed lr, so a scheduler
// that changes lr while trials train (PBT) can beat the best fixed lr random search finds.
//
// The noise of each step comes from a generator seeded by (the trial's seed, training
// iteration), and a checkpoint holds theta and the iteration: a restored trial continues
// exactly, and a trial that continues from another trial's checkpoint (an exploit) draws its
// own noise from there on.
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <vector>

#include "tune/plugin.hpp"

namespace {

class NoisyQuadraticTrainable final : public tune::Trainable {
public:
    static constexpr const char *id = "org.tune.sample.noisy_quadratic";
    static constexpr const char *version = "1.0.0";
    static constexpr const char *description =
        "SGD on a noisy quadratic (lr, dimensions, noise, updates_per_step); the best lr changes as it trains";
    static constexpr const char *example_config = R"({"lr": 0.1, "dimensions": 16, "noise": 1.0})";

    void setup(const tune::Json &config, const tune::TrialContext &context) override {
        lr_ = tune::require<double>(config, "lr");
        const auto dimensions = tune::get_or<long long>(config, "dimensions", 16);
        const double curvature_min = tune::get_or<double>(config, "curvature_min", 0.01);
        noise_ = tune::get_or<double>(config, "noise", 1.0);
        updates_per_step_ = tune::get_or<long long>(config, "updates_per_step", 10);
        const double start = tune::get_or<double>(config, "start", 10.0);
        seed_ = context.seed;
        if (!(lr_ > 0.0) || !std::isfinite(lr_))
            throw tune::ConfigError("config key 'lr' must be a finite number > 0, got " + std::to_string(lr_));
        if (dimensions < 1 || dimensions > 1000)
            throw tune::ConfigError("config key 'dimensions' must be in 1..1000, got " + std::to_string(dimensions));
        if (!(curvature_min > 0.0 && curvature_min <= 1.0))
            throw tune::ConfigError("config key 'curvature_min' must be in (0, 1], got " + std::to_string(curvature_min));
        if (!(noise_ >= 0.0)) throw tune::ConfigError("config key 'noise' must be >= 0, got " + std::to_string(noise_));
        if (updates_per_step_ < 1)
            throw tune::ConfigError("config key 'updates_per_step' must be >= 1, got " + std::to_string(updates_per_step_));
        curvatures_.resize(static_cast<std::size_t>(dimensions));
        for (std::size_t i = 0; i < curvatures_.size(); ++i) {
            const double fraction = curvatures_.size() == 1 ? 1.0 : static_cast<double>(i) / (curvatures_.size() - 1);
            curvatures_[i] = std::pow(curvature_min, 1.0 - fraction);
        }
        theta_.assign(curvatures_.size(), start);
        iteration_ = 0;
    }

    tune::Json step() override {
        ++iteration_;
        std::mt19937_64 rng(seed_ * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(iteration_));
        std::normal_distribution<double> normal(0.0, 1.0);
        for (long long update = 0; update < updates_per_step_; ++update)
            for (std::size_t i = 0; i < theta_.size(); ++i)
                theta_[i] -= lr_ * (curvatures_[i] * theta_[i] + noise_ * normal(rng));
        double loss = 0.0;
        for (std::size_t i = 0; i < theta_.size(); ++i) loss += 0.5 * curvatures_[i] * theta_[i] * theta_[i];
        if (!std::isfinite(loss)) loss = std::numeric_limits<double>::max(); // diverged: lr too large
        return {{"loss", loss}, {"lr", lr_}};
    }

    void save(const std::string &dir) override {
        const auto file = std::filesystem::path(dir) / "theta.json";
        std::ofstream out(file);
        out << tune::Json{{"iteration", iteration_}, {"theta", theta_}}.dump();
        if (!out.flush()) throw tune::IoError("cannot write " + file.string());
    }

    void restore(const std::string &dir) override {
        const auto file = std::filesystem::path(dir) / "theta.json";
        std::ifstream in(file);
        if (!in) throw tune::IoError("checkpoint file missing: " + file.string());
        tune::Json state;
        try {
            state = tune::Json::parse(in);
        } catch (const tune::Json::parse_error &e) {
            throw tune::IoError("checkpoint file " + file.string() + " is corrupt: " + e.what());
        }
        auto theta = tune::require<std::vector<double>>(state, "theta");
        if (theta.size() != theta_.size())
            throw tune::IoError("checkpoint " + file.string() + " has " + std::to_string(theta.size()) +
                                " dimensions, the config " + std::to_string(theta_.size()));
        theta_ = std::move(theta);
        iteration_ = tune::require<long long>(state, "iteration");
    }

    bool reset(const tune::Json &config, const tune::TrialContext &context) override {
        setup(config, context);
        return true;
    }

private:
    double lr_ = 0.0, noise_ = 1.0;
    long long updates_per_step_ = 10;
    std::uint64_t seed_ = 0;
    std::vector<double> curvatures_, theta_;
    long long iteration_ = 0;
};

} // namespace

TUNE_PLUGIN_LIBRARY(NoisyQuadraticTrainable);
