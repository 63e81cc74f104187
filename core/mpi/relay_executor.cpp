#include "core/mpi/relay_executor.hpp"

#include <charconv>
#include <chrono>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace tune::core::mpi {

namespace {

using Clock = std::chrono::steady_clock;

std::string wire_id(const std::string &trial_id, std::uint64_t run) { return trial_id + "#" + std::to_string(run); }

} // namespace

RelayExecutor::RelayExecutor(std::unique_ptr<TrialExecutor> local, RankLink &link, std::vector<int> agent_ranks)
    : local_(std::move(local)), link_(link), agents_(std::move(agent_ranks)) {}

void RelayExecutor::start(const TrialLaunch &launch) {
    if (launch.allocation.rank == link_.rank()) {
        local_->start(launch);
        return;
    }
    const RemoteTrial trial{launch.allocation.rank, next_run_++};
    remote_[launch.trial_id] = trial;
    TrialLaunch sent = launch;
    sent.trial_id = wire_id(launch.trial_id, trial.run);
    append_call(outbox_[trial.rank], {ExecutorCall::Op::Start, sent.trial_id, encode_launch(sent)});
}

void RelayExecutor::forward(const std::string &trial_id, ExecutorCall::Op op, const std::string &argument) {
    const auto found = remote_.find(trial_id);
    if (found == remote_.end()) { // a local trial, or one the executor has forgotten (ignored there too)
        switch (op) {
        case ExecutorCall::Op::Step: local_->step(trial_id); break;
        case ExecutorCall::Op::Save: local_->save(trial_id, argument); break;
        case ExecutorCall::Op::Evaluate: local_->evaluate(trial_id, argument); break;
        case ExecutorCall::Op::Release: local_->release(trial_id); break;
        case ExecutorCall::Op::SetThreads: local_->set_threads(trial_id, thread_count(argument)); break;
        case ExecutorCall::Op::Start: break;
        }
        return;
    }
    append_call(outbox_[found->second.rank], {op, wire_id(trial_id, found->second.run), argument});
    if (op == ExecutorCall::Op::Release) remote_.erase(found);
}

void RelayExecutor::step(const std::string &trial_id) { forward(trial_id, ExecutorCall::Op::Step, {}); }

void RelayExecutor::save(const std::string &trial_id, const std::string &checkpoint_dir) {
    forward(trial_id, ExecutorCall::Op::Save, checkpoint_dir);
}

void RelayExecutor::evaluate(const std::string &trial_id, const std::string &checkpoint_dir) {
    forward(trial_id, ExecutorCall::Op::Evaluate, checkpoint_dir);
}

void RelayExecutor::release(const std::string &trial_id) { forward(trial_id, ExecutorCall::Op::Release, {}); }

void RelayExecutor::set_threads(const std::string &trial_id, unsigned threads) {
    forward(trial_id, ExecutorCall::Op::SetThreads, std::to_string(threads));
}

void RelayExecutor::send_requests() {
    if (outbox_.empty()) return;
    for (auto &[rank, calls] : outbox_)
        if (!calls.empty()) link_.send(rank, RelayTag::Requests, std::move(calls));
    outbox_.clear();
    backoff_.reset(); // answers are on their way: look for them often
}

void RelayExecutor::poll(double timeout_s, std::vector<TrialEvent> &events) {
    send_requests();
    const std::size_t before = events.size();
    const auto deadline = Clock::now() + std::chrono::duration<double>(std::max(0.0, timeout_s));
    for (;;) {
        receive(events);
        const double left = std::chrono::duration<double>(deadline - Clock::now()).count();
        // Local workers have file descriptors to sleep on; MPI has none, so while agents run
        // trials the wait is cut into slices between looks at the link.
        const double wait = events.size() > before || left <= 0.0 ? 0.0
                            : remote_.empty()                   ? left
                                                                : std::min(left, backoff_.next());
        local_->poll(wait, events);
        if (events.size() > before) {
            receive(events);
            backoff_.reset();
            return;
        }
        if (left <= 0.0) return;
    }
}

void RelayExecutor::receive(std::vector<TrialEvent> &events) {
    while (auto message = link_.try_receive()) {
        switch (message->tag) {
        case RelayTag::Events: accept_events(message->source, message->bytes, events); break;
        case RelayTag::AgentError:
            throw std::runtime_error(fmt::format("the node agent on rank {} stopped: {}", message->source,
                                                 decode_agent_error(message->bytes)));
        default:
            throw std::runtime_error(fmt::format("rank {} sent an unexpected {} message", message->source,
                                                 relay_tag_name(message->tag)));
        }
    }
}

void RelayExecutor::accept_events(int source, const std::string &bytes, std::vector<TrialEvent> &events) {
    for (auto &event : decode_events(bytes)) {
        // "00007#3": the trial and its run. Parsed in place: this runs once per result.
        const auto hash = event.trial_id.rfind('#');
        std::uint64_t run = 0;
        if (hash == std::string::npos) continue;
        const char *digits = event.trial_id.data() + hash + 1, *end = event.trial_id.data() + event.trial_id.size();
        const auto parsed = std::from_chars(digits, end, run);
        if (parsed.ec != std::errc() || parsed.ptr != end) continue;
        event.trial_id.resize(hash);
        const auto found = remote_.find(event.trial_id);
        // An event of a released run, still in flight when it was released: dropped, as a
        // local executor drops the replies a released trial still owes.
        if (found == remote_.end() || found->second.rank != source || found->second.run != run) continue;
        if (event.kind == TrialEvent::Kind::Failed || event.kind == TrialEvent::Kind::Lost) remote_.erase(found);
        events.push_back(std::move(event));
    }
}

void RelayExecutor::tell_agents(RelayTag tag) {
    outbox_.clear();
    remote_.clear();
    for (int rank : agents_) link_.send(rank, tag, {});
}

void RelayExecutor::abort() {
    local_->abort();
    tell_agents(RelayTag::Abort);
}

void RelayExecutor::shutdown() {
    local_->shutdown();
    tell_agents(RelayTag::Shutdown);
}

} // namespace tune::core::mpi
