// The relay's messages over MPI: MPI_Isend (the buffer kept until the send completes) and
// MPI_Iprobe + MPI_Recv of whatever has arrived, on a communicator of the relay's own.
// The only file besides mpi_world that includes <mpi.h>.
#pragma once

#include <mpi.h>

#include <list>

#include "core/mpi/rank_link.hpp"

namespace tune::core::mpi {

class MpiLink final : public RankLink {
public:
    // Duplicates comm, so that no other MPI traffic can match the relay's receives.
    explicit MpiLink(MPI_Comm comm);
    // Waits (up to a few seconds: a dead peer never takes them) for sends still in flight.
    ~MpiLink() override;
    MpiLink(const MpiLink &) = delete;
    MpiLink &operator=(const MpiLink &) = delete;

    int rank() const override { return rank_; }
    int size() const override { return size_; }
    void send(int rank, RelayTag tag, std::string bytes) override;
    std::optional<RankMessage> try_receive() override;

private:
    struct PendingSend {
        std::string bytes; // MPI reads it until the request completes: never moved meanwhile (std::list)
        MPI_Request request = MPI_REQUEST_NULL;
    };
    void reap_sends();

    MPI_Comm comm_ = MPI_COMM_NULL;
    int rank_ = 0;
    int size_ = 1;
    std::list<PendingSend> sends_;
};

// Throws std::runtime_error naming the call and MPI's message when rc is not MPI_SUCCESS.
void check_mpi(int rc, const char *call);

} // namespace tune::core::mpi
