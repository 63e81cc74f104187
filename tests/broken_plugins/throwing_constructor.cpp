// A C++ plugin whose constructor throws: create must fail with the message, not crash.
#include <stdexcept>

#include "tune/plugin.hpp"

namespace {

class ThrowingTrainable final : public tune::Trainable {
public:
    static constexpr const char *id = "org.tune.test.throwing_constructor";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Throws from its constructor";

    ThrowingTrainable() { throw std::runtime_error("constructor exploded on purpose"); }
    void setup(const tune::Json &, const tune::TrialContext &) override {}
    tune::Json step() override { return tune::Json::object(); }
    void save(const std::string &) override {}
    void restore(const std::string &) override {}
};

} // namespace

TUNE_PLUGIN_LIBRARY(ThrowingTrainable);
