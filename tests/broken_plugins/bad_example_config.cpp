// A trainable whose descriptor publishes an example config (ABI 1.6) that is not a JSON
// object, chosen at build time (UNPARSABLE_EXAMPLE 0: a JSON array; 1: not JSON at all):
// check-plugin must fail descriptors, naming the plugin, and `tune plugins --example` must
// refuse to print it.
#include "counter_trainable.hpp"

namespace {

class BadExampleTrainable final : public CounterTrainable {
public:
    static constexpr const char *id = "org.tune.test.bad_example";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Publishes an example config that is not a JSON object";
    static constexpr const char *example_config = UNPARSABLE_EXAMPLE ? R"({"lr": )" : "[1, 2]";
};

} // namespace

TUNE_PLUGIN_LIBRARY(BadExampleTrainable);
