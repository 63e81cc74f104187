// org.tune.sample.faulty: a deterministic trainable that fails on purpose, for testing how the
// host survives failing trials (docs/fault-tolerance.md).
//
//   loss(t) = |t - valley| + (x - 0.3)^2     when valley > 0 (lowest at iteration valley)
//   loss(t) = 1 / t + (x - 0.3)^2            otherwise
//
// fault = "segfault" | "abort" | "throw" | "exit" | "hang" | "save_io" | "none" happens at
// iteration fault_at (0: at any iteration) with probability fault_probability, drawn from the
// trial's seed and the iteration, so a run is reproducible. fault_times limits how often it
// happens to one trial over all its attempts (0: every time), counted in a file of the trial's
// folder, so a retried trial can be made to succeed. "save_io" makes save() fail as a disk
// error would (TUNE_ERROR_IO) at the checkpoint of iteration fault_at.
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>
#include <thread>

#include "tune/plugin.hpp"

namespace {

namespace fs = std::filesystem;

class FaultyTrainable final : public tune::Trainable {
public:
    static constexpr const char *id = "org.tune.sample.faulty";
    static constexpr const char *version = "1.0.0";
    static constexpr const char *description =
        "Fails on purpose (fault, fault_at, fault_probability, fault_times); for fault-tolerance tests";
    // No fault: the example is the plugin's healthy path, which check-plugin holds to the contract.
    static constexpr const char *example_config = R"({"x": 0.5, "fault": "none"})";

    void setup(const tune::Json &config, const tune::TrialContext &context) override {
        x_ = tune::get_or<double>(config, "x", 0.0);
        valley_ = tune::get_or<long long>(config, "valley", 0);
        sleep_ms_ = tune::get_or<double>(config, "sleep_ms", 0.0);
        fault_ = tune::get_or<std::string>(config, "fault", "none");
        fault_at_ = tune::get_or<long long>(config, "fault_at", 0);
        probability_ = tune::get_or<double>(config, "fault_probability", 1.0);
        fault_times_ = tune::get_or<long long>(config, "fault_times", 0);
        static const char *kinds[] = {"none", "segfault", "abort", "throw", "exit", "hang", "save_io"};
        bool known = false;
        for (const char *kind : kinds) known = known || fault_ == kind;
        if (!known)
            throw tune::ConfigError("config key 'fault' must be one of none, segfault, abort, throw, exit, hang, "
                                    "save_io; got '" + fault_ + "'");
        if (fault_at_ < 0) throw tune::ConfigError("config key 'fault_at' must be >= 0");
        if (!(probability_ >= 0.0 && probability_ <= 1.0))
            throw tune::ConfigError("config key 'fault_probability' must be in [0, 1]");
        if (fault_times_ < 0) throw tune::ConfigError("config key 'fault_times' must be >= 0");
        seed_ = context.seed;
        count_file_ = fs::path(context.trial_dir) / "faulty_count.txt";
        iteration_ = 0;
    }

    tune::Json step() override {
        if (sleep_ms_ > 0) std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(sleep_ms_));
        ++iteration_;
        if (fault_ != "save_io" && fault_ != "none" && fires()) fail_now();
        const double t = static_cast<double>(iteration_);
        const double base = (x_ - 0.3) * (x_ - 0.3);
        const double loss = valley_ > 0 ? std::fabs(t - static_cast<double>(valley_)) + base : 1.0 / t + base;
        return {{"loss", loss}, {"score", -loss}};
    }

    void save(const std::string &dir) override {
        if (fault_ == "save_io" && fires())
            throw tune::IoError("cannot write " + dir + "/faulty_state.json: No space left on device (simulated)");
        const auto file = fs::path(dir) / "faulty_state.json";
        std::ofstream out(file);
        out << tune::Json{{"iteration", iteration_}}.dump();
        if (!out.flush()) throw tune::IoError("cannot write " + file.string());
    }

    void restore(const std::string &dir) override {
        std::ifstream in(fs::path(dir) / "faulty_state.json");
        if (!in) throw tune::IoError("checkpoint file missing in " + dir);
        iteration_ = tune::require<long long>(tune::Json::parse(in), "iteration");
    }

    bool reset(const tune::Json &config, const tune::TrialContext &context) override {
        setup(config, context);
        return true;
    }

private:
    // Whether the configured fault happens now; counts it if so.
    bool fires() {
        if (fault_at_ > 0 && iteration_ != fault_at_) return false;
        std::mt19937_64 rng(seed_ * 0x9E3779B97F4A7C15ULL + static_cast<std::uint64_t>(iteration_));
        if (std::uniform_real_distribution<double>(0.0, 1.0)(rng) >= probability_) return false;
        long long count = 0;
        std::ifstream(count_file_) >> count;
        if (fault_times_ > 0 && count >= fault_times_) return false;
        std::ofstream(count_file_) << count + 1;
        return true;
    }

    [[noreturn]] void fail_now() {
        std::fprintf(stderr, "faulty: %s at iteration %lld\n", fault_.c_str(), iteration_);
        std::fflush(stderr);
        if (fault_ == "segfault") std::raise(SIGSEGV);
        if (fault_ == "abort") std::abort();
        if (fault_ == "exit") std::_Exit(3);
        if (fault_ == "hang")
            for (;;) ::pause();
        throw std::runtime_error("faulty: exception thrown at iteration " + std::to_string(iteration_));
    }

    double x_ = 0, sleep_ms_ = 0, probability_ = 1.0;
    long long valley_ = 0, fault_at_ = 0, fault_times_ = 0, iteration_ = 0;
    std::string fault_ = "none";
    std::uint64_t seed_ = 0;
    fs::path count_file_;
};

} // namespace

TUNE_PLUGIN_LIBRARY(FaultyTrainable);
