// The trial executor of rank 0 in an MPI job: trials placed on rank 0's own node run in its
// local executor, the others on the node agent of their allocation's rank, which runs them
// in its own local executor (core/mpi/node_agent). Requests for an agent made in one round
// leave together when poll() is called; its events come back in batches.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/execution/trial_executor.hpp"
#include "core/mpi/poll_backoff.hpp"
#include "core/mpi/rank_link.hpp"

namespace tune::core::mpi {

class RelayExecutor final : public TrialExecutor {
public:
    // local: the executor of rank 0's node. agent_ranks: the ranks that run trials of other
    // nodes, each already sent Setup. link must outlive the executor.
    RelayExecutor(std::unique_ptr<TrialExecutor> local, RankLink &link, std::vector<int> agent_ranks);

    void start(const TrialLaunch &launch) override;
    void step(const std::string &trial_id) override;
    void save(const std::string &trial_id, const std::string &checkpoint_dir) override;
    void evaluate(const std::string &trial_id, const std::string &checkpoint_dir) override;
    void release(const std::string &trial_id) override;
    void set_threads(const std::string &trial_id, unsigned threads) override;
    // Waits up to timeout_s for events of local or remote trials. Throws std::runtime_error
    // when an agent reports it cannot go on (AgentError) or sends what the relay cannot read.
    void poll(double timeout_s, std::vector<TrialEvent> &events) override;
    void abort() override;
    void shutdown() override;

private:
    // A trial on an agent. Its id on the wire carries the run's number ("00007#3"), so that
    // events of an earlier run still in flight after a release are told from the new run's.
    struct RemoteTrial {
        int rank = 0;
        std::uint64_t run = 0;
    };

    void forward(const std::string &trial_id, ExecutorCall::Op op, const std::string &argument);
    void send_requests();
    void receive(std::vector<TrialEvent> &events);
    void accept_events(int source, const std::string &bytes, std::vector<TrialEvent> &events);
    void tell_agents(RelayTag tag);

    std::unique_ptr<TrialExecutor> local_;
    RankLink &link_;
    std::vector<int> agents_;
    std::unordered_map<std::string, RemoteTrial> remote_;
    std::map<int, std::string> outbox_; // rank -> its calls, encoded, until the next poll
    std::uint64_t next_run_ = 0;
    PollBackoff backoff_;
};

} // namespace tune::core::mpi
