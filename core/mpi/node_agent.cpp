#include "core/mpi/node_agent.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace tune::core::mpi {

namespace {

// Before Setup (or on a rank that runs no trials) nothing is urgent: wake less often.
constexpr double kIdleWaitS = 0.01;

} // namespace

NodeAgent::NodeAgent(RankLink &link, NodeReport report, ExecutorFactory make_executor)
    : link_(link), report_(std::move(report)), make_executor_(std::move(make_executor)) {}

void NodeAgent::hello() { link_.send(0, RelayTag::Hello, encode_node_report(report_)); }

int NodeAgent::serve() {
    hello();
    try {
        while (serve_once(backoff_.next())) {
        }
    } catch (const std::exception &e) {
        const std::string message = fmt::format("{} (rank {} on {})", e.what(), report_.rank, report_.host);
        spdlog::error("node agent: {}", message);
        if (executor_) executor_->abort();
        link_.send(0, RelayTag::AgentError, encode_agent_error(message));
        return 1;
    }
    executor_.reset(); // its workers were shut down (Shutdown) or killed (Abort) before Quit
    spdlog::debug("node agent rank {}: {} events in {} messages", report_.rank, stats_events_, stats_messages_);
    return 0;
}

bool NodeAgent::serve_once(double wait_s) {
    bool busy = false;
    while (auto message = link_.try_receive()) {
        busy = true;
        if (!handle(*message)) return false;
    }
    if (executor_) executor_->poll(busy ? 0.0 : wait_s, events_);
    else if (!busy) std::this_thread::sleep_for(std::chrono::duration<double>(std::max(wait_s, kIdleWaitS)));
    if (!events_.empty()) {
        stats_events_ += events_.size();
        std::string bytes;
        for (const auto &event : events_) append_event(bytes, event);
        events_.clear();
        link_.send(0, RelayTag::Events, std::move(bytes));
        stats_messages_ += 1;
        busy = true;
    }
    if (busy) backoff_.reset();
    return true;
}

bool NodeAgent::handle(const RankMessage &message) {
    switch (message.tag) {
    case RelayTag::Probe: link_.send(0, RelayTag::ProbeReply, probe(decode_probe(message.bytes))); return true;
    case RelayTag::Setup:
        if (executor_) throw std::runtime_error("a second Setup");
        executor_ = make_executor_(decode_worker_setup(message.bytes));
        return true;
    case RelayTag::Requests: run_calls(message.bytes); return true;
    case RelayTag::Abort:
        if (executor_) executor_->abort();
        return true;
    case RelayTag::Shutdown:
        if (executor_) executor_->shutdown();
        return true;
    case RelayTag::Quit: return false;
    default:
        throw std::runtime_error(fmt::format("rank {} sent an unexpected {} message", message.source,
                                             relay_tag_name(message.tag)));
    }
}

void NodeAgent::run_calls(const std::string &bytes) {
    if (!executor_) throw std::runtime_error("trial requests before Setup");
    for (const auto &call : decode_calls(bytes)) {
        switch (call.op) {
        case ExecutorCall::Op::Start: {
            TrialLaunch launch = decode_launch(call.argument);
            try {
                executor_->start(launch);
            } catch (const std::exception &e) { // e.g. no tune-worker to start: this trial's loss, not the node's
                events_.push_back({TrialEvent::Kind::Lost, call.trial_id, TrialRequest::Start, 0,
                                   fmt::format("rank {} on {} could not start a worker: {}", report_.rank,
                                               report_.host, e.what())});
            }
            break;
        }
        case ExecutorCall::Op::Step: executor_->step(call.trial_id); break;
        case ExecutorCall::Op::Save: executor_->save(call.trial_id, call.argument); break;
        case ExecutorCall::Op::Evaluate: executor_->evaluate(call.trial_id, call.argument); break;
        case ExecutorCall::Op::Release: executor_->release(call.trial_id); break;
        case ExecutorCall::Op::SetThreads: executor_->set_threads(call.trial_id, thread_count(call.argument)); break;
        }
    }
}

std::string NodeAgent::probe(const ProbeRequest &request) const {
    std::ifstream in(request.path, std::ios::binary);
    if (!in) return encode_probe_result({false, fmt::format("cannot read {}: {}", request.path, std::strerror(errno))});
    const std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (content != request.token)
        return encode_probe_result(
            {false, fmt::format("{} holds something else than rank 0 wrote: this node's folder of that name is "
                                "another folder",
                                request.path)});
    return encode_probe_result({true, {}});
}

} // namespace tune::core::mpi
