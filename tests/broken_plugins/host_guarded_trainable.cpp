// A working trainable whose library refuses to be loaded by the `tune` host: its constructor
// aborts the process when that is tune itself (not tune-worker). `tune run` with it succeeds
// only if the host never maps the trainable's library, as it must not (LibTorch).
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "tune/plugin.hpp"

namespace {

__attribute__((constructor)) void refuse_the_host() {
    char exe[4096] = {};
    const ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
    const char *slash = n > 0 ? std::strrchr(exe, '/') : nullptr;
    if (slash && std::strcmp(slash + 1, "tune") == 0) {
        std::fprintf(stderr, "host_guarded_trainable: loaded into the tune host (pid %d)\n", static_cast<int>(::getpid()));
        std::abort();
    }
}

class HostGuardedTrainable final : public tune::Trainable {
public:
    static constexpr const char *id = "org.tune.test.host_guarded";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Aborts if the tune host loads it (tests)";

    void setup(const tune::Json &config, const tune::TrialContext &) override {
        iterations_ = tune::get_or<long long>(config, "iterations", 2);
        iteration_ = 0;
    }
    tune::Json step() override {
        ++iteration_;
        return {{"loss", 1.0 / static_cast<double>(iteration_)}, {"done", iteration_ >= iterations_}};
    }
    void save(const std::string &) override {}
    void restore(const std::string &) override {}

private:
    long long iterations_ = 2;
    long long iteration_ = 0;
};

} // namespace

TUNE_PLUGIN_LIBRARY(HostGuardedTrainable);
