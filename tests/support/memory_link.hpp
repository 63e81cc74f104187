// The ranks of an MPI job inside one test process: a RankLink per rank over shared queues,
// so that ClusterBackend, RelayExecutor and NodeAgent are tested with no MPI. Thread-safe:
// an agent may serve on a thread of its own.
#pragma once

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/mpi/rank_link.hpp"

namespace tune::test {

class MemoryNetwork {
public:
    explicit MemoryNetwork(int ranks);
    ~MemoryNetwork();
    core::mpi::RankLink &link(int rank);

    // Sees (and may change) every message as it is sent: a test makes one node's view of the
    // results folder differ here.
    std::function<void(int from, int to, core::mpi::RelayTag tag, std::string &bytes)> on_send;
    // Sends bytes as rank `from` would, whatever they hold (a corrupt message).
    void inject(int from, int to, core::mpi::RelayTag tag, std::string bytes);

private:
    class Link;
    std::mutex mutex_;
    std::vector<std::deque<core::mpi::RankMessage>> inboxes_;
    std::vector<std::unique_ptr<Link>> links_;
};

} // namespace tune::test
