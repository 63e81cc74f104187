#include "core/mpi/cluster_backend.hpp"

#include <chrono>
#include <fstream>
#include <random>
#include <set>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "core/mpi/relay_executor.hpp"

namespace tune::core::mpi {

namespace {

using Clock = std::chrono::steady_clock;

std::string random_token() {
    std::random_device device;
    return fmt::format("{:016x}{:016x}", (std::uint64_t{device()} << 32) | device(), (std::uint64_t{device()} << 32) | device());
}

// The next message from link, waiting up to the deadline; nullopt when it passes.
std::optional<RankMessage> receive_until(RankLink &link, Clock::time_point deadline) {
    for (PollBackoff backoff;;) {
        if (auto message = link.try_receive()) return message;
        if (Clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::duration<double>(backoff.next()));
    }
}

} // namespace

ClusterBackend::ClusterBackend(RankLink &link, NodeReport own, NodeAgent::ExecutorFactory make_local,
                               double reply_timeout_s)
    : link_(link), make_local_(std::move(make_local)), reply_timeout_s_(reply_timeout_s),
      reports_(static_cast<std::size_t>(link.size())) {
    reports_[0] = std::move(own);
    std::set<int> waiting;
    for (int rank = 1; rank < link_.size(); ++rank) waiting.insert(rank);
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(reply_timeout_s_));
    while (!waiting.empty()) {
        auto message = receive_until(link_, deadline);
        if (!message)
            throw std::runtime_error(fmt::format("ranks {} did not report their node within {} s",
                                                 fmt::join(waiting, ", "), reply_timeout_s_));
        if (message->tag == RelayTag::AgentError)
            throw std::runtime_error(fmt::format("rank {} could not start: {}", message->source,
                                                 decode_agent_error(message->bytes)));
        if (message->tag != RelayTag::Hello || !waiting.count(message->source))
            throw std::runtime_error(fmt::format("rank {} sent {} before its node report", message->source,
                                                 relay_tag_name(message->tag)));
        NodeReport report = decode_node_report(message->bytes);
        report.rank = message->source;
        reports_[static_cast<std::size_t>(message->source)] = std::move(report);
        waiting.erase(message->source);
    }
}

ClusterBackend::~ClusterBackend() {
    for (int rank = 1; rank < link_.size(); ++rank) link_.send(rank, RelayTag::Quit, {});
}

std::string ClusterBackend::node_name(const NodeReport &leader) const {
    int nodes_on_host = 0;
    for (const auto &report : reports_) nodes_on_host += report.local_rank == 0 && report.host == leader.host;
    return nodes_on_host > 1 ? fmt::format("{}/r{}", leader.host, leader.rank) : leader.host;
}

std::vector<NodeResources> ClusterBackend::nodes() {
    std::vector<NodeResources> nodes;
    for (const auto &report : reports_)
        if (report.local_rank == 0)
            nodes.push_back({node_name(report), report.cpus, report.gpu_names, report.rank, report.visible_devices});
    return nodes;
}

std::optional<std::string> ClusterBackend::unshared_folder(const std::filesystem::path &folder) {
    const std::string token = random_token();
    const std::filesystem::path probe = std::filesystem::absolute(folder) / (".tune-probe-" + token);
    {
        std::ofstream out(probe, std::ios::binary);
        out << token;
        if (!out.flush())
            return fmt::format("cannot write the results folder check {} on rank 0 ({})", probe.string(), reports_[0].host);
    }
    for (int rank = 1; rank < link_.size(); ++rank) link_.send(rank, RelayTag::Probe, encode_probe({probe.string(), token}));

    std::vector<std::string> problems;
    std::set<int> waiting;
    for (int rank = 1; rank < link_.size(); ++rank) waiting.insert(rank);
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(reply_timeout_s_));
    while (!waiting.empty()) {
        auto message = receive_until(link_, deadline);
        if (!message) {
            for (int rank : waiting)
                problems.push_back(fmt::format("rank {} on {} did not answer within {} s", rank,
                                               reports_[static_cast<std::size_t>(rank)].host, reply_timeout_s_));
            break;
        }
        if (message->tag != RelayTag::ProbeReply)
            throw std::runtime_error(fmt::format("rank {} sent {} during the results folder check", message->source,
                                                 relay_tag_name(message->tag)));
        waiting.erase(message->source);
        const ProbeResult result = decode_probe_result(message->bytes);
        if (!result.ok)
            problems.push_back(fmt::format("rank {} on {}: {}", message->source,
                                           reports_[static_cast<std::size_t>(message->source)].host, result.message));
    }
    std::error_code ignored;
    std::filesystem::remove(probe, ignored);
    if (problems.empty()) return std::nullopt;
    return fmt::format("the results folder {} is not shared with every node: {}. Every node writes checkpoints and "
                       "logs there, so it must be the same folder on each (a shared file system such as NFS or "
                       "Lustre); point experiment.results_dir at one",
                       std::filesystem::absolute(folder).string(), fmt::join(problems, "; "));
}

std::unique_ptr<TrialExecutor> ClusterBackend::executor(const WorkerSetup &setup) {
    std::vector<int> agents;
    for (const auto &report : reports_) {
        if (report.rank == 0 || report.local_rank != 0) continue;
        WorkerSetup agent_setup = setup;
        agent_setup.log_name_prefix = fmt::format("rank{}_{}", report.rank, setup.log_name_prefix);
        link_.send(report.rank, RelayTag::Setup, encode_worker_setup(agent_setup));
        agents.push_back(report.rank);
    }
    return std::make_unique<RelayExecutor>(make_local_(setup), link_, std::move(agents));
}

} // namespace tune::core::mpi
