// What rank 0 (the controller) and a node agent say to each other over MPI: the executor's
// requests going out and its events coming back, each kind of message under its own MPI tag.
// Requests made in one controller round travel in one message per agent, and so do the
// events an agent's round collects: a fast trial's results cross MPI in batches.
//
// A conversation: the agent sends Hello (its node) once it has started. Rank 0 may send Probe
// (answered by ProbeReply), then Setup, then any number of Requests (answered by Events as
// the trials answer), Abort or Shutdown, and at last Quit, after which the agent exits.
// An agent that cannot go on sends AgentError and exits.
//
// Encodings: Hello, Probe, ProbeReply, Setup and AgentError are JSON; Requests and Events are
// binary records (little-endian lengths) so that a result costs a copy, not a parse.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/execution/execution_backend.hpp"
#include "core/execution/node_resources.hpp"
#include "core/execution/trial_executor.hpp"

namespace tune::core::mpi {

enum class RelayTag : int {
    Hello = 1,      // agent -> 0: NodeReport
    Probe = 2,      // 0 -> agent: ProbeRequest
    ProbeReply = 3, // agent -> 0: ProbeResult
    Setup = 4,      // 0 -> agent: WorkerSetup
    Requests = 5,   // 0 -> agent: ExecutorCall records
    Events = 6,     // agent -> 0: TrialEvent records
    Abort = 7,      // 0 -> agent: kill every worker now (empty)
    Shutdown = 8,   // 0 -> agent: end every worker gracefully (empty)
    Quit = 9,       // 0 -> agent: leave (empty)
    AgentError = 10, // agent -> 0: {"message"}: the agent cannot go on and exits
};

const char *relay_tag_name(RelayTag tag);
bool is_relay_tag(int tag);

// What a rank says of its node when it starts.
struct NodeReport {
    int rank = 0;
    std::string host;     // the host name (MPI_Get_processor_name)
    std::string node_key; // equal for ranks that count as one node
    int local_rank = 0;   // among the ranks of that node; 0 runs the node's trials
    int local_size = 1;
    double cpus = 0.0;    // the CPUs the node offers (a share of the host's when several nodes share one)
    std::vector<std::string> gpu_names;
    std::vector<std::string> visible_devices; // its CUDA_VISIBLE_DEVICES entries (NodeResources)
};
std::string encode_node_report(const NodeReport &report);
NodeReport decode_node_report(const std::string &bytes); // throws std::runtime_error

// The results folder check: the agent reads `path` and must find `token` in it.
struct ProbeRequest {
    std::string path;
    std::string token;
};
struct ProbeResult {
    bool ok = false;
    std::string message; // why not, when !ok
};
std::string encode_probe(const ProbeRequest &probe);
ProbeRequest decode_probe(const std::string &bytes);
std::string encode_probe_result(const ProbeResult &result);
ProbeResult decode_probe_result(const std::string &bytes);

std::string encode_worker_setup(const WorkerSetup &setup);
WorkerSetup decode_worker_setup(const std::string &bytes);

// One TrialExecutor call, as rank 0 forwards it.
struct ExecutorCall {
    enum class Op : std::uint8_t { Start = 1, Step = 2, Save = 3, Evaluate = 4, Release = 5, SetThreads = 6 };
    Op op = Op::Step;
    std::string trial_id;
    // Start: the TrialLaunch as JSON; Save, Evaluate: the checkpoint folder; SetThreads: the
    // thread count in decimal
    std::string argument;
};
std::string encode_launch(const TrialLaunch &launch);
TrialLaunch decode_launch(const std::string &bytes);

void append_call(std::string &out, const ExecutorCall &call);
// A SetThreads call's argument; throws std::runtime_error for one that is not a count >= 1.
unsigned thread_count(const std::string &argument);
std::vector<ExecutorCall> decode_calls(const std::string &bytes); // throws std::runtime_error

std::string encode_agent_error(const std::string &message);
std::string decode_agent_error(const std::string &bytes); // never throws: bytes that are not the schema's are the message

void append_event(std::string &out, const TrialEvent &event);
std::vector<TrialEvent> decode_events(const std::string &bytes); // throws std::runtime_error

} // namespace tune::core::mpi
