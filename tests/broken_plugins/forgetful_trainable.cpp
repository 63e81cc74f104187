// restore() succeeds but loads nothing, so a restored trial starts over: fails
// trainable.save_restore.
#include "counter_trainable.hpp"

namespace {

class ForgetfulTrainable final : public CounterTrainable {
public:
    static constexpr const char *id = "org.tune.test.forgetful";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Restores nothing from its checkpoints";
    void restore(const std::string &) override {}
};

} // namespace

TUNE_PLUGIN_LIBRARY(ForgetfulTrainable);
