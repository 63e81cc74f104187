// One library declaring the same plugin id twice: fails check-plugin's descriptors check.
#include "tune/plugin.hpp"

namespace {

template <int N> class Twin final : public tune::Trainable {
public:
    static constexpr const char *id = "org.tune.test.twin";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Declared twice in one library";
    void setup(const tune::Json &, const tune::TrialContext &) override {}
    tune::Json step() override { return {{"loss", 1.0}}; }
    void save(const std::string &) override {}
    void restore(const std::string &) override {}
};

} // namespace

TUNE_PLUGIN_LIBRARY(Twin<1>, Twin<2>);
