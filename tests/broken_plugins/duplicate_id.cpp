// Built twice (duplicate_a.so, duplicate_b.so) with the same plugin id.
#include "tune/plugin.hpp"

namespace {

class DuplicateTrainable final : public tune::Trainable {
public:
    static constexpr const char *id = "org.tune.test.duplicate";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = DUPLICATE_DESCRIPTION;

    void setup(const tune::Json &, const tune::TrialContext &) override {}
    tune::Json step() override { return {{"loss", 1.0}}; }
    void save(const std::string &) override {}
    void restore(const std::string &) override {}
};

} // namespace

TUNE_PLUGIN_LIBRARY(DuplicateTrainable);
