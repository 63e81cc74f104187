#include "core/mpi/mpi_link.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

namespace tune::core::mpi {

void check_mpi(int rc, const char *call) {
    if (rc == MPI_SUCCESS) return;
    char text[MPI_MAX_ERROR_STRING];
    int size = 0;
    MPI_Error_string(rc, text, &size);
    throw std::runtime_error(fmt::format("{} failed: {}", call, std::string(text, static_cast<std::size_t>(size))));
}

MpiLink::MpiLink(MPI_Comm comm) {
    check_mpi(MPI_Comm_dup(comm, &comm_), "MPI_Comm_dup");
    // Errors come back as return codes (and then exceptions) instead of aborting the job
    // from inside MPI, so that rank 0 can save what it has first.
    MPI_Comm_set_errhandler(comm_, MPI_ERRORS_RETURN);
    MPI_Comm_rank(comm_, &rank_);
    MPI_Comm_size(comm_, &size_);
}

MpiLink::~MpiLink() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!sends_.empty() && std::chrono::steady_clock::now() < deadline) {
        reap_sends();
        std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    MPI_Comm_free(&comm_);
}

void MpiLink::send(int rank, RelayTag tag, std::string bytes) {
    PendingSend &pending = sends_.emplace_back();
    pending.bytes = std::move(bytes);
    check_mpi(MPI_Isend(pending.bytes.data(), static_cast<int>(pending.bytes.size()), MPI_BYTE, rank,
                        static_cast<int>(tag), comm_, &pending.request),
              "MPI_Isend");
}

void MpiLink::reap_sends() {
    for (auto it = sends_.begin(); it != sends_.end();) {
        int done = 0;
        check_mpi(MPI_Test(&it->request, &done, MPI_STATUS_IGNORE), "MPI_Test");
        it = done ? sends_.erase(it) : std::next(it);
    }
}

std::optional<RankMessage> MpiLink::try_receive() {
    reap_sends();
    int arrived = 0;
    MPI_Status status;
    check_mpi(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm_, &arrived, &status), "MPI_Iprobe");
    if (!arrived) return std::nullopt;
    int count = 0;
    MPI_Get_count(&status, MPI_BYTE, &count);
    RankMessage message;
    message.source = status.MPI_SOURCE;
    message.bytes.resize(static_cast<std::size_t>(count));
    check_mpi(MPI_Recv(message.bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, status.MPI_TAG, comm_,
                       MPI_STATUS_IGNORE),
              "MPI_Recv");
    if (!is_relay_tag(status.MPI_TAG))
        throw std::runtime_error(fmt::format("rank {} sent a message with tag {}, which the relay does not use",
                                             status.MPI_SOURCE, status.MPI_TAG));
    message.tag = static_cast<RelayTag>(status.MPI_TAG);
    return message;
}

} // namespace tune::core::mpi
