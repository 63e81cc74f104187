// org.tune.test.finite: a trainable that reports "done" at iteration `done_at` (default 3), so
// that tests see a worker never step a trainable past its "done". Its checkpoint is the
// iteration, in finite_state.json.
#include <filesystem>
#include <fstream>

#include "tune/plugin.hpp"

namespace {

class FiniteTrainable final : public tune::Trainable {
public:
    static constexpr const char *id = "org.tune.test.finite";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Reports done at iteration done_at (tests)";

    void setup(const tune::Json &config, const tune::TrialContext &) override {
        done_at_ = tune::get_or<long long>(config, "done_at", 3);
        iteration_ = 0;
    }
    tune::Json step() override {
        if (iteration_ >= done_at_) throw tune::StateError("stepped past done");
        ++iteration_;
        return {{"loss", 1.0 / static_cast<double>(iteration_)}, {"done", iteration_ >= done_at_}};
    }
    void save(const std::string &dir) override {
        std::ofstream(std::filesystem::path(dir) / "finite_state.json") << iteration_;
    }
    void restore(const std::string &dir) override {
        std::ifstream(std::filesystem::path(dir) / "finite_state.json") >> iteration_;
    }

private:
    long long done_at_ = 3;
    long long iteration_ = 0;
};

} // namespace

TUNE_PLUGIN_LIBRARY(FiniteTrainable);
