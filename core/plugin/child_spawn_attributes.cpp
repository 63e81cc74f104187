#include "core/plugin/child_spawn_attributes.hpp"

#include <csignal>

namespace tune::core {

ChildSpawnAttributes::ChildSpawnAttributes() {
    posix_spawnattr_init(&attributes_);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    posix_spawnattr_setsigdefault(&attributes_, &defaults);
    posix_spawnattr_setpgroup(&attributes_, 0);
    posix_spawnattr_setflags(&attributes_, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
}

ChildSpawnAttributes::~ChildSpawnAttributes() { posix_spawnattr_destroy(&attributes_); }

} // namespace tune::core
