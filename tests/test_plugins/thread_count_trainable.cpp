// org.tune.test.threads: a deterministic trainable that reports the intra-op thread count it
// was told (setup, then update_context), so that tests see spare CPUs lent to a trial and
// taken back, and that the results do not depend on them. Config: "length" (iterations before
// it reports done, default 5), "sleep_ms" per step (default 0), "keeps_threads" (true: it
// declines update_context, as a trainable without the extension would).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "tune/plugin.hpp"

namespace {

class ThreadCountTrainable final : public tune::Trainable {
public:
    static constexpr const char *id = "org.tune.test.threads";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Reports its thread count with each result (tests)";

    void setup(const tune::Json &config, const tune::TrialContext &context) override {
        length_ = tune::get_or<long long>(config, "length", 5);
        sleep_ms_ = tune::get_or<long long>(config, "sleep_ms", 0);
        keeps_threads_ = tune::get_or<bool>(config, "keeps_threads", false);
        threads_ = context.num_cpus;
        iteration_ = 0;
    }
    tune::Json step() override {
        if (sleep_ms_ > 0) std::this_thread::sleep_for(std::chrono::milliseconds(sleep_ms_));
        ++iteration_;
        return {{"loss", static_cast<double>(length_) / static_cast<double>(iteration_)},
                {"threads", threads_},
                {"done", iteration_ >= length_}};
    }
    void save(const std::string &dir) override { std::ofstream(std::filesystem::path(dir) / "iteration") << iteration_; }
    void restore(const std::string &dir) override { std::ifstream(std::filesystem::path(dir) / "iteration") >> iteration_; }
    bool update_context(const tune::TrialContext &context) override {
        if (keeps_threads_) return false;
        threads_ = context.num_cpus;
        return true;
    }

private:
    long long length_ = 5, sleep_ms_ = 0, iteration_ = 0;
    unsigned threads_ = 1;
    bool keeps_threads_ = false;
};

} // namespace

TUNE_PLUGIN_LIBRARY(ThreadCountTrainable);
