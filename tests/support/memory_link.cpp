#include "support/memory_link.hpp"

namespace tune::test {

using core::mpi::RankMessage;
using core::mpi::RelayTag;

class MemoryNetwork::Link final : public core::mpi::RankLink {
public:
    Link(MemoryNetwork &network, int rank) : network_(network), rank_(rank) {}
    int rank() const override { return rank_; }
    int size() const override { return static_cast<int>(network_.links_.size()); }
    void send(int rank, RelayTag tag, std::string bytes) override {
        if (network_.on_send) network_.on_send(rank_, rank, tag, bytes);
        network_.inject(rank_, rank, tag, std::move(bytes));
    }
    std::optional<RankMessage> try_receive() override {
        std::lock_guard<std::mutex> lock(network_.mutex_);
        auto &inbox = network_.inboxes_[static_cast<std::size_t>(rank_)];
        if (inbox.empty()) return std::nullopt;
        RankMessage message = std::move(inbox.front());
        inbox.pop_front();
        return message;
    }

private:
    MemoryNetwork &network_;
    int rank_;
};

MemoryNetwork::MemoryNetwork(int ranks) : inboxes_(static_cast<std::size_t>(ranks)) {
    for (int rank = 0; rank < ranks; ++rank) links_.push_back(std::make_unique<Link>(*this, rank));
}

MemoryNetwork::~MemoryNetwork() = default;

core::mpi::RankLink &MemoryNetwork::link(int rank) { return *links_.at(static_cast<std::size_t>(rank)); }

void MemoryNetwork::inject(int from, int to, RelayTag tag, std::string bytes) {
    std::lock_guard<std::mutex> lock(mutex_);
    inboxes_.at(static_cast<std::size_t>(to)).push_back({from, tag, std::move(bytes)});
}

} // namespace tune::test
