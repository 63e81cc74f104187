// A trainable whose description is Latin-1, not UTF-8 ("café" with the byte 0xE9): tune
// plugins must still list it, with U+FFFD for the bad byte, through the describe child and
// in process alike.
#include "counter_trainable.hpp"

namespace {

class Latin1Trainable final : public CounterTrainable {
public:
    static constexpr const char *id = "org.tune.test.latin1";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Trains at the caf\xe9";
};

} // namespace

TUNE_PLUGIN_LIBRARY(Latin1Trainable);
