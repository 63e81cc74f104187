#include "core/worker/local_executor.hpp"

#include <algorithm>
#include <regex>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace tune::core {
namespace fs = std::filesystem;

namespace {

TrialRequest request_of(MessageType type) {
    switch (type) {
    case MessageType::StartTrial: return TrialRequest::Start;
    case MessageType::Save: return TrialRequest::Save;
    case MessageType::Evaluate: return TrialRequest::Evaluate;
    default: return TrialRequest::Step;
    }
}

// The reply type that answers request when it succeeds.
MessageType success_reply(MessageType request) {
    return request == MessageType::Step || request == MessageType::Evaluate ? MessageType::Result : MessageType::Ok;
}

// Requests whose replies carry no event: the end of a released trial, and a thread update
// (answered Ok whatever the trainable did with it).
bool answered_without_event(MessageType request) {
    return request == MessageType::EndTrial || request == MessageType::UpdateContext;
}

TrialEvent::Kind success_event(MessageType request) {
    switch (request) {
    case MessageType::StartTrial: return TrialEvent::Kind::Started;
    case MessageType::Save: return TrialEvent::Kind::Saved;
    case MessageType::Evaluate: return TrialEvent::Kind::Evaluated;
    default: return TrialEvent::Kind::Result;
    }
}

std::string with_output(std::string message, const std::string &tail) {
    if (!tail.empty()) message += "; last output:\n" + tail;
    return message;
}

// The number after the last <prefix>_NNN.log already in dir, so that a resumed experiment's
// workers do not append to the logs of an earlier run's.
std::size_t first_free_log_index(const fs::path &dir, const std::string &prefix) {
    const std::regex name(prefix + R"(_(\d+)\.log)");
    std::size_t next = 0;
    std::error_code ec;
    for (const auto &entry : fs::directory_iterator(dir, ec)) {
        std::smatch match;
        const std::string file = entry.path().filename().string();
        if (std::regex_match(file, match, name)) next = std::max<std::size_t>(next, std::stoull(match[1]) + 1);
    }
    return next;
}

} // namespace

LocalExecutor::LocalExecutor(LocalExecutorOptions options)
    : options_(std::move(options)), next_log_index_(first_free_log_index(options_.log_dir, options_.log_name_prefix)) {}

LocalExecutor::~LocalExecutor() { abort(); }

std::string LocalExecutor::next_log_name() {
    return fmt::format("{}_{:03}.log", options_.log_name_prefix, next_log_index_++);
}

LocalExecutor::Worker &LocalExecutor::acquire(const Allocation &allocation) {
    const std::string key = allocation.cuda_visible_devices + "/" + std::to_string(allocation.threads());
    // A worker still owing replies for a trial that failed is not idle yet. One that owes only
    // replies without events is: the next StartTrial queues behind them, and they are dropped.
    const auto idle = [](const Worker &worker) {
        return std::all_of(worker.awaiting.begin(), worker.awaiting.end(), answered_without_event);
    };
    for (auto &worker : workers_)
        if (worker->process && worker->trial_id.empty() && idle(*worker) && worker->resource_key == key)
            return *worker;
    // Idle workers with other resources cannot be reused (CUDA_VISIBLE_DEVICES and the thread
    // pools are fixed at process start): end one, so the number of processes stays bounded.
    for (auto &worker : workers_)
        if (worker->process && worker->trial_id.empty() && worker->awaiting.empty()) {
            worker->process->shutdown(0.5);
            worker->process.reset();
            break;
        }
    remove_dead_workers();

    // OpenMP, MKL and OpenBLAS size their thread pools when they load, before a plugin could
    // say otherwise: the trial's thread count goes in the environment.
    const std::string threads = std::to_string(allocation.threads());
    WorkerLaunch launch{options_.worker_executable,
                        options_.log_dir / next_log_name(),
                        {"CUDA_VISIBLE_DEVICES=" + allocation.cuda_visible_devices, "OMP_NUM_THREADS=" + threads,
                         "MKL_NUM_THREADS=" + threads, "OPENBLAS_NUM_THREADS=" + threads}};
    auto worker = std::make_unique<Worker>();
    worker->process = WorkerProcess::spawn(launch);
    worker->resource_key = key;
    worker->awaiting.push_back(MessageType::Ready);
    worker->waiting_since = Clock::now();
    workers_.push_back(std::move(worker));
    return *workers_.back();
}

LocalExecutor::Worker *LocalExecutor::worker_of(const std::string &trial_id) {
    auto found = by_trial_.find(trial_id);
    return found == by_trial_.end() ? nullptr : found->second;
}

void LocalExecutor::start(const TrialLaunch &launch) {
    Worker &worker = acquire(launch.allocation);
    worker.trial_id = launch.trial_id;
    by_trial_[launch.trial_id] = &worker;
    StartTrialRequest request{options_.trainable_library.string(),
                              options_.trainable_id,
                              launch.config,
                              launch.trial_id,
                              launch.trial_dir,
                              launch.allocation.threads(),
                              launch.allocation.gpu,
                              launch.seed,
                              launch.restore_from};
    send(worker, encode_start_trial(request));
}

void LocalExecutor::step(const std::string &trial_id) {
    if (Worker *worker = worker_of(trial_id)) send(*worker, {MessageType::Step, {}});
}

void LocalExecutor::save(const std::string &trial_id, const std::string &checkpoint_dir) {
    if (Worker *worker = worker_of(trial_id)) send(*worker, checkpoint_request(MessageType::Save, checkpoint_dir));
}

void LocalExecutor::evaluate(const std::string &trial_id, const std::string &checkpoint_dir) {
    if (Worker *worker = worker_of(trial_id)) send(*worker, checkpoint_request(MessageType::Evaluate, checkpoint_dir));
}

void LocalExecutor::release(const std::string &trial_id) {
    Worker *worker = worker_of(trial_id);
    if (!worker) return;
    // The trainable ends what it runs between calls (a command trainable's program) now, not
    // when the idle worker is next used; the reply, for a released trial, is dropped.
    if (worker->process) send(*worker, {MessageType::EndTrial, {}});
    detach(*worker);
}

void LocalExecutor::set_threads(const std::string &trial_id, unsigned threads) {
    if (Worker *worker = worker_of(trial_id)) send(*worker, update_context_request(threads));
}

void LocalExecutor::detach(Worker &worker) {
    by_trial_.erase(worker.trial_id);
    worker.trial_id.clear();
}

void LocalExecutor::send(Worker &worker, const Message &request) {
    if (worker.awaiting.empty()) worker.waiting_since = Clock::now();
    worker.awaiting.push_back(request.type);
    worker.process->queue(request); // sent by the next poll, with the others made until then
}

void LocalExecutor::flush_requests(std::vector<TrialEvent> &events) {
    for (auto &worker : workers_) {
        if (!worker->process || worker->process->flush()) continue;
        // A broken pipe: the worker is gone.
        lose(*worker, request_of(worker->awaiting.empty() ? MessageType::Step : worker->awaiting.front()),
             fmt::format("worker process {} {}", worker->process->pid(), worker->process->wait_and_describe()),
             events);
    }
}

void LocalExecutor::poll(double timeout_s, std::vector<TrialEvent> &events) {
    const std::size_t before = events.size();
    flush_requests(events);
    remove_dead_workers();

    poll_fds_.clear();
    polled_.clear();
    for (auto &worker : workers_) {
        if (worker->awaiting.empty()) continue;
        poll_fds_.push_back({worker->process->reply_fd(), POLLIN, 0});
        polled_.push_back(worker.get());
    }
    // ppoll: a relay (core/mpi) polls in slices well under a millisecond.
    const double wait_s = events.size() > before ? 0.0 : std::max(0.0, timeout_s);
    timespec wait{static_cast<time_t>(wait_s), static_cast<long>((wait_s - static_cast<double>(static_cast<time_t>(wait_s))) * 1e9)};
    if (::ppoll(poll_fds_.data(), poll_fds_.size(), &wait, nullptr) > 0)
        for (std::size_t i = 0; i < poll_fds_.size(); ++i)
            if (poll_fds_[i].revents & (POLLIN | POLLHUP | POLLERR)) read_replies(*polled_[i], events);
    check_timeouts(events);
    remove_dead_workers();
}

void LocalExecutor::read_replies(Worker &worker, std::vector<TrialEvent> &events) {
    std::vector<Message> replies;
    try {
        replies = worker.process->read_available();
    } catch (const std::exception &e) { // a corrupt frame: the stream cannot be trusted any more
        worker.process->kill();
        lose(worker, worker.awaiting.empty() ? TrialRequest::Step : request_of(worker.awaiting.front()),
             fmt::format("worker process {} sent a corrupt reply ({}) and was killed", worker.process->pid(), e.what()),
             events);
        return;
    }
    for (auto &reply : replies) {
        if (worker.awaiting.empty()) {
            spdlog::warn("worker {} sent an unexpected {}", worker.process->pid(), message_type_name(reply.type));
            continue;
        }
        const MessageType request = worker.awaiting.front();
        worker.awaiting.pop_front();
        worker.waiting_since = Clock::now(); // the next reply's wait starts now
        answer(worker, request, std::move(reply), events);
        if (!worker.process) return; // answering found the worker unusable
    }
    if (worker.process->closed())
        lose(worker, worker.awaiting.empty() ? TrialRequest::Step : request_of(worker.awaiting.front()),
             fmt::format("worker process {} {}", worker.process->pid(), worker.process->wait_and_describe()), events);
}

void LocalExecutor::answer(Worker &worker, MessageType request, Message reply, std::vector<TrialEvent> &events) {
    // The handshake, a reply without an event (the end of a released trial, whose worker may run
    // the next one already; a thread update), or news of a released trial.
    if (request == MessageType::Ready || answered_without_event(request) || worker.trial_id.empty()) return;
    if (reply.type == MessageType::Error) {
        ErrorReply error = decode_error(reply.payload);
        events.push_back({TrialEvent::Kind::Failed, worker.trial_id, request_of(request), error.status,
                          with_output(std::move(error.message), worker.process->log_tail(10))});
        detach(worker); // the worker lives on; the replies it still owes are dropped
        return;
    }
    if (reply.type == MessageType::Skipped && request == MessageType::Step) {
        events.push_back({TrialEvent::Kind::Skipped, worker.trial_id, TrialRequest::Step, 0, {}});
        return;
    }
    if (reply.type != success_reply(request)) { // a worker that breaks the protocol is not trusted again
        worker.process->kill();
        lose(worker, request_of(request),
             fmt::format("worker process {} answered {} with {} and was killed", worker.process->pid(),
                         message_type_name(request), message_type_name(reply.type)),
             events);
        return;
    }
    if (request == MessageType::StartTrial) reply.payload = started_text(worker.process->pid());
    events.push_back({success_event(request), worker.trial_id, request_of(request), 0, std::move(reply.payload)});
}

void LocalExecutor::check_timeouts(std::vector<TrialEvent> &events) {
    if (options_.step_timeout_s <= 0.0) return;
    const auto now = Clock::now();
    for (auto &worker : workers_) {
        if (!worker->process || worker->awaiting.empty()) continue;
        if (std::chrono::duration<double>(now - worker->waiting_since).count() < options_.step_timeout_s) continue;
        // A hung trainable never answers: end its worker, and the trial fails like a crash.
        const MessageType request = worker->awaiting.front();
        worker->process->kill();
        lose(*worker, request_of(request),
             fmt::format("no reply to {} within step_timeout_s = {} s: worker process {} killed",
                         trial_request_name(request_of(request)), options_.step_timeout_s, worker->process->pid()),
             events);
    }
}

void LocalExecutor::lose(Worker &worker, TrialRequest request, const std::string &what, std::vector<TrialEvent> &events) {
    worker.process->wait_and_describe(); // reaped now, not left a zombie
    if (!worker.trial_id.empty()) {
        events.push_back({TrialEvent::Kind::Lost, worker.trial_id, request, 0,
                          with_output(what, worker.process->log_tail(10))});
        detach(worker);
    }
    worker.process.reset(); // removed from workers_ by remove_dead_workers
    worker.awaiting.clear();
}

void LocalExecutor::remove_dead_workers() {
    workers_.erase(std::remove_if(workers_.begin(), workers_.end(), [](const auto &worker) { return !worker->process; }),
                   workers_.end());
}

void LocalExecutor::abort() {
    for (auto &worker : workers_)
        if (worker->process) worker->process->kill();
    workers_.clear();
    by_trial_.clear();
}

void LocalExecutor::shutdown() {
    for (auto &worker : workers_)
        if (worker->process) worker->process->shutdown();
    workers_.clear();
    by_trial_.clear();
}

} // namespace tune::core
