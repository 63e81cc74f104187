// The posix_spawn attributes tune gives every helper process it starts (a worker, a
// describe child): default handling of SIGPIPE and SIGINT, whatever the host ignores, and a
// process group of its own, so that signals meant for the host's group (Ctrl-C at a terminal,
// mpirun ending a job) reach the host, which ends its children as it decides, and a kill of
// the group ends whatever the child started too.
#pragma once

#include <spawn.h>

namespace tune::core {

class ChildSpawnAttributes {
public:
    ChildSpawnAttributes();
    ~ChildSpawnAttributes();
    ChildSpawnAttributes(const ChildSpawnAttributes &) = delete;
    ChildSpawnAttributes &operator=(const ChildSpawnAttributes &) = delete;

    const posix_spawnattr_t *get() const { return &attributes_; }

private:
    posix_spawnattr_t attributes_;
};

} // namespace tune::core
