// How the relay reaches other ranks: tagged byte messages, sent without waiting and received
// by polling. MpiLink carries them over MPI; tests use an in-memory pair (tests/support).
#pragma once

#include <optional>
#include <string>

#include "core/mpi/relay_protocol.hpp"

namespace tune::core::mpi {

struct RankMessage {
    int source = 0;
    RelayTag tag = RelayTag::Quit;
    std::string bytes;
};

// Messages from one rank to another arrive in the order they were sent. Not thread-safe.
class RankLink {
public:
    virtual ~RankLink() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;
    // Queues bytes for rank and returns at once; the link delivers them.
    virtual void send(int rank, RelayTag tag, std::string bytes) = 0;
    // The next message that has arrived, or nullopt at once. Throws std::runtime_error on a
    // message with a tag the relay does not know.
    virtual std::optional<RankMessage> try_receive() = 0;
};

} // namespace tune::core::mpi
