// What every rank but 0 does in an MPI job: says which node it is on (Hello), then runs the
// trials rank 0 sends it in its own executor (a LocalExecutor: tune-worker processes started
// exactly as on one machine, with their crash isolation, reuse and step timeouts) and sends
// back what they answer, until rank 0 says Quit.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "core/execution/execution_backend.hpp"
#include "core/mpi/poll_backoff.hpp"
#include "core/mpi/rank_link.hpp"

namespace tune::core::mpi {

class NodeAgent {
public:
    using ExecutorFactory = std::function<std::unique_ptr<TrialExecutor>(const WorkerSetup &)>;

    // link must outlive the agent. make_executor is called once, on Setup.
    NodeAgent(RankLink &link, NodeReport report, ExecutorFactory make_executor);

    // hello(), then serve_once() until Quit. Returns 0, or 1 after an error it could not go on
    // from (also sent to rank 0 as AgentError).
    int serve();
    // Tells rank 0 which node this rank is on.
    void hello();
    // One round: handles the messages that have arrived, polls the executor up to wait_s and
    // sends rank 0 its events. False once Quit has come. Throws std::runtime_error on a
    // message it cannot read or one out of order.
    bool serve_once(double wait_s);

private:
    bool handle(const RankMessage &message); // false on Quit
    void run_calls(const std::string &bytes);
    std::string probe(const ProbeRequest &request) const;

    RankLink &link_;
    NodeReport report_;
    ExecutorFactory make_executor_;
    std::unique_ptr<TrialExecutor> executor_;
    std::vector<TrialEvent> events_;
    PollBackoff backoff_;
    std::size_t stats_events_ = 0, stats_messages_ = 0; // sent to rank 0, for --log-level debug
};

} // namespace tune::core::mpi
