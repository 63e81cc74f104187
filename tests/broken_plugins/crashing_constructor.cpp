// A trainable library whose static initialisation crashes (SIGSEGV) as soon as it is loaded:
// the host must report it as this library's error and still list the others, which it can
// only do if something other than the host loads it (tune-worker --describe).
#include <csignal>

#include "tune/plugin.hpp"

namespace {

__attribute__((constructor)) void crash_while_loading() { std::raise(SIGSEGV); }

class NeverLoadedTrainable final : public tune::Trainable {
public:
    static constexpr const char *id = "org.tune.test.crashing_constructor";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Crashes while its library loads";

    void setup(const tune::Json &, const tune::TrialContext &) override {}
    tune::Json step() override { return {{"loss", 1.0}}; }
    void save(const std::string &) override {}
    void restore(const std::string &) override {}
};

} // namespace

TUNE_PLUGIN_LIBRARY(NeverLoadedTrainable);
