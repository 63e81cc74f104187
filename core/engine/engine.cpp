#include "core/engine/engine.hpp"

#include <poll.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <thread>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/config/experiment_json.hpp"
#include "core/config/plugin_settings.hpp"
#include "core/plugin/host_services.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/state/durable_files.hpp"

namespace tune::core {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::atomic<int> g_stop_requests{0};

// Per-trial seeds: a SplitMix64 step of the experiment seed and the trial index, so trials
// get unrelated streams and the same experiment seed gives the same seeds.
std::uint64_t trial_seed(std::uint64_t experiment_seed, std::size_t index) {
    std::uint64_t z = experiment_seed + 0x9E3779B97F4A7C15ULL * (index + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void merge_into(json &target, const json &patch) {
    for (const auto &item : patch.items()) {
        if (item.value().is_object() && target.contains(item.key()) && target[item.key()].is_object())
            merge_into(target[item.key()], item.value());
        else
            target[item.key()] = item.value();
    }
}

const char *decision_name(tune_decision_t decision) {
    switch (decision) {
    case TUNE_DECISION_CONTINUE: return "CONTINUE";
    case TUNE_DECISION_PAUSE: return "PAUSE";
    case TUNE_DECISION_STOP: return "STOP";
    }
    return "UNKNOWN";
}

double unix_time_s() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// {"loss":1} + {"a":2} -> {"loss":1,"a":2}, keeping the first object's text as it is.
std::string append_fields(const std::string &object_text, const json &fields) {
    const std::size_t close = object_text.find_last_of('}');
    const std::string extra = fields.dump();
    std::string text = object_text.substr(0, close);
    if (text.find_first_not_of(" \t\r\n{") != std::string::npos) text += ',';
    text.append(extra, 1, std::string::npos); // without extra's '{'
    return text;
}

// The trial's last result as the searcher and scheduler receive it, or nullopt if none.
std::optional<std::string> last_result_text(const Trial &trial) {
    if (trial.last_result.is_null()) return std::nullopt;
    return trial.last_result.dump();
}

std::string checkpoint_name(long long iteration) { return fmt::format("checkpoint_{:06}", iteration); }

} // namespace

void Engine::request_stop() { g_stop_requests.fetch_add(1); }

Engine::Engine(Experiment experiment, const PluginRegistry &registry, EngineOptions options)
    : experiment_(std::move(experiment)), registry_(registry), options_(std::move(options)),
      out_(options_.progress_out ? *options_.progress_out : std::cout),
      pool_(experiment_.total_cpus.value_or(std::max(1u, std::thread::hardware_concurrency())),
            static_cast<int>(experiment_.total_gpus.value_or(detect_gpus()))),
      reporter_(out_, options_.progress_style, options_.progress_interval_s) {
    experiment_dir_ = options_.experiment_dir.empty() ? experiment_.experiment_dir() : options_.experiment_dir;
}

Engine::~Engine() { kill_all_workers(); }

void Engine::prepare_experiment_dir() {
    std::error_code ec;
    state_store_ = std::make_unique<StateStore>(experiment_dir_);
    auto take_lock = [&] {
        try {
            lock_ = std::make_unique<ExperimentLock>(experiment_dir_);
        } catch (const std::exception &e) {
            throw ExperimentSetupError(e.what());
        }
    };
    if (options_.resume_state) { // the folder is the experiment's: keep everything in it
        take_lock();
        fs::create_directories(experiment_dir_ / "logs", ec);
        if (ec) throw DiskError(fmt::format("cannot create {}: {}", (experiment_dir_ / "logs").string(), ec.message()));
        return;
    }
    try {
        ExperimentLock::check_free(experiment_dir_); // --overwrite must not pull a folder from under a run
    } catch (const ExperimentLockedError &e) {
        throw ExperimentSetupError(e.what());
    }
    if (fs::exists(experiment_dir_ / "summary.json", ec) || fs::exists(experiment_dir_ / "experiment.json", ec) ||
        state_store_->exists()) {
        if (!options_.overwrite)
            throw ExperimentSetupError(fmt::format("{} already holds an experiment; pass --overwrite to replace it, "
                                                   "--resume (or `tune resume {}`) to continue it, "
                                                   "or choose another experiment.name or results_dir",
                                                   experiment_dir_.string(), experiment_dir_.string()));
        fs::remove_all(experiment_dir_, ec);
        if (ec) throw ExperimentSetupError(fmt::format("cannot remove {}: {}", experiment_dir_.string(), ec.message()));
    }
    fs::create_directories(experiment_dir_ / "logs", ec);
    if (ec) throw ExperimentSetupError(fmt::format("cannot create {}: {}", experiment_dir_.string(), ec.message()));
    take_lock();
    std::ofstream out(experiment_dir_ / "experiment.json");
    out << experiment_to_json(experiment_).dump(2) << "\n";
    if (!out.flush()) throw ExperimentSetupError("cannot write " + (experiment_dir_ / "experiment.json").string());
}

void Engine::restore_state(const ExperimentState &state) {
    if (!state.searcher_state.empty()) searcher_->restore(state.searcher_state);
    if (!state.scheduler_state.empty()) scheduler_->restore(state.scheduler_state);
    searcher_finished_ = state.searcher_finished;
    elapsed_before_s_ = state.elapsed_s;
    started_at_ = state.started_at;
    workers_started_ = state.workers_started;
    state_sequence_ = state.sequence;
    std::error_code ec;
    for (const TrialState &saved : state.trials) {
        auto trial = std::make_unique<Trial>();
        trial->id = saved.id;
        trial->dir = experiment_dir_ / ("trial_" + saved.id);
        trial->config = json::parse(saved.config_json);
        trial->seed = saved.seed;
        trial->last_result = saved.last_result_json.empty() ? json() : json::parse(saved.last_result_json);
        trial->iteration = saved.iteration;
        trial->time_total_s = saved.time_total_s;
        trial->stop_reason = saved.stop_reason;
        trial->error = saved.error;
        trial->failures = saved.failures;
        // A trial that was running when the host stopped restarts from its latest checkpoint.
        if (saved.status == "TERMINATED" || saved.status == "STOPPING") trial->status = TrialStatus::Terminated;
        else if (saved.status == "ERROR") trial->status = TrialStatus::Error;
        else if (saved.status == "PAUSED") trial->status = TrialStatus::Paused;
        else trial->status = TrialStatus::Pending;
        if (!trial->finished()) trial->stop_reason.clear();
        for (const CheckpointState &c : saved.checkpoints) {
            const fs::path dir = experiment_dir_ / c.dir;
            if (fs::is_directory(dir, ec)) {
                trial->checkpoints.push_back({c.iteration, dir, c.score, c.time_total_s});
            } else {
                spdlog::warn("trial {}: checkpoint {} named by the saved state is gone; it resumes from an earlier one",
                             saved.id, dir.string());
            }
        }
        // Checkpoints written after the state was saved, or half written, are not known to it.
        if (fs::is_directory(trial->dir, ec)) {
            for (const auto &entry : fs::directory_iterator(trial->dir, ec)) {
                const std::string name = entry.path().filename().string();
                if (name.rfind("checkpoint_", 0) != 0) continue;
                bool known = false;
                for (const auto &c : trial->checkpoints) known = known || c.dir == entry.path();
                if (!known) fs::remove_all(entry.path(), ec);
            }
        }
        trials_.push_back(std::move(trial));
        // Its end was decided but not yet told to the searcher and scheduler (their state
        // was saved before): tell them now, as end_trial would have.
        if (saved.status == "STOPPING") {
            const std::optional<std::string> last = last_result_text(*trials_.back());
            searcher_->on_complete(saved.id, last, false);
            scheduler_->on_trial_complete(saved.id, last);
        }
    }
}

bool Engine::is_interruption(const std::string &reason) const { return resumable_stop_ && reason == stop_reason_; }

ExperimentState Engine::snapshot() const {
    ExperimentState state;
    state.experiment_json = experiment_to_json(experiment_).dump();
    state.started_at = started_at_;
    state.elapsed_s = elapsed_s();
    state.workers_started = workers_started_;
    state.searcher_finished = searcher_finished_;
    state.searcher_plugin = searcher_->info().id;
    state.searcher_state = searcher_->save();
    state.scheduler_plugin = scheduler_->info().id;
    state.scheduler_state = scheduler_->save();
    state.sequence = state_sequence_ + 1;
    // A trial whose end the scheduler or a stop criterion decided, waiting only for its last
    // checkpoint, is saved as decided: resumed, it must not run on from an older checkpoint.
    std::map<const Trial *, const WorkerSlot *> ending;
    for (const auto &slot : workers_)
        if (slot->trial && slot->ending != Ending::None) ending[slot->trial] = slot.get();
    state.trials.reserve(trials_.size());
    for (const auto &trial : trials_) {
        TrialState t;
        t.id = trial->id;
        t.status = trial->interrupted ? "RUNNING" : status_name(trial->status);
        t.stop_reason = trial->stop_reason;
        if (auto found = ending.find(trial.get()); found != ending.end()) {
            const WorkerSlot &slot = *found->second;
            if (slot.ending == Ending::Stop) t.status = "STOPPING";
            else if (!is_interruption(slot.end_reason)) t.status = "PAUSED";
            t.stop_reason = slot.end_reason;
        }
        t.config_json = trial->config.dump();
        t.seed = trial->seed;
        t.last_result_json = trial->last_result.is_null() ? "" : trial->last_result.dump();
        t.iteration = trial->iteration;
        t.time_total_s = trial->time_total_s;
        for (const auto &c : trial->checkpoints)
            t.checkpoints.push_back({c.iteration, c.dir.lexically_relative(experiment_dir_).string(), c.score,
                                     c.time_total_s});
        t.error = trial->error;
        t.failures = trial->failures;
        state.trials.push_back(std::move(t));
    }
    return state;
}

void Engine::save_state(bool force) {
    if (!state_store_ || (!state_dirty_ && !force)) return;
    const auto now = Clock::now();
    if (!force && std::chrono::duration<double>(now - last_state_save_).count() < state_save_interval_s_) return;
    // The logs on disk must hold every result the state counts, so that a resumed trial's
    // logs continue without a gap.
    try {
        for (auto &slot : workers_)
            if (slot->logger) slot->logger->flush();
    } catch (const std::runtime_error &e) {
        throw DiskError(e.what());
    }
    const ExperimentState state = snapshot();
    try {
        state_store_->save(state);
    } catch (const StateError &e) {
        throw DiskError(e.what());
    }
    state_sequence_ = state.sequence;
    state_dirty_ = false;
    last_state_save_ = Clock::now();
    // Batch harder when a save is slow (many thousands of trials, a slow disk), so that saving
    // never takes more than about 5% of the engine's time.
    const double save_s = std::chrono::duration<double>(last_state_save_ - now).count();
    state_save_interval_s_ = std::max(options_.state_save_interval_s, 20.0 * save_s);
    spdlog::debug("experiment state {} saved: {} trials in {:.2f} ms", state.sequence, state.trials.size(),
                  save_s * 1e3);
    delete_dropped_checkpoints(false);
}

void Engine::delete_dropped_checkpoints(bool all) {
    // A dropped checkpoint may be named by the saved copies until two later saves replaced both.
    auto keep = std::remove_if(dropped_checkpoints_.begin(), dropped_checkpoints_.end(), [&](const auto &dropped) {
        if (!all && dropped.first + 2 > state_sequence_) return false;
        std::error_code ec;
        fs::remove_all(dropped.second, ec);
        if (ec) spdlog::warn("cannot delete old checkpoint {}: {}", dropped.second.string(), ec.message());
        return true;
    });
    dropped_checkpoints_.erase(keep, dropped_checkpoints_.end());
}

void Engine::expect(WorkerSlot &slot, MessageType reply_to) {
    if (slot.awaiting.empty()) slot.waiting_since = Clock::now();
    slot.awaiting.push_back(reply_to);
}

void Engine::check_step_timeouts() {
    if (!experiment_.step_timeout_s) return;
    const auto now = Clock::now();
    for (auto &slot : workers_) {
        if (!slot->process || !slot->trial || slot->awaiting.empty()) continue;
        if (std::chrono::duration<double>(now - slot->waiting_since).count() < *experiment_.step_timeout_s) continue;
        // A hung trainable never answers: end its worker, and the trial fails like a crash.
        const char *request = message_type_name(slot->awaiting.front());
        slot->process->kill();
        const std::string tail = slot->process->log_tail(10);
        fail_trial(*slot, fmt::format("no reply to {} within step_timeout_s = {} s: worker process {} killed{}{}",
                                      request, format_number(*experiment_.step_timeout_s), slot->process->pid(),
                                      tail.empty() ? "" : "; last output:\n", tail));
        slot->process.reset();
        slot->awaiting.clear();
        state_dirty_ = true;
    }
}

EngineOutcome Engine::run() {
    const PluginInfo &trainable = registry_.resolve(experiment_.trainable_plugin, TUNE_KIND_TRAINABLE);
    trainable_library_ = trainable.file;
    trainable_id_ = trainable.id;
    if (!pool_.fits_empty_pool(experiment_.resources))
        throw ExperimentSetupError(fmt::format(
            "a trial asks for {} CPUs and {} GPUs, but the experiment has {} CPUs and {} GPUs in all "
            "(trainable.resources, experiment.total_cpus / total_gpus)",
            format_number(experiment_.resources.cpu), format_number(experiment_.resources.gpu),
            format_number(pool_.total_cpus()), pool_.total_gpus()));

    searcher_ = std::make_unique<SearcherAdapter>(
        registry_.create(experiment_.searcher.plugin, host_services(), TUNE_KIND_SEARCHER));
    searcher_->setup(searcher_settings(experiment_).dump());
    scheduler_ = std::make_unique<SchedulerAdapter>(
        registry_.create(experiment_.scheduler.plugin, host_services(), TUNE_KIND_SCHEDULER));
    scheduler_->setup(scheduler_settings(experiment_).dump());

    prepare_experiment_dir();
    if (options_.resume_state) restore_state(*options_.resume_state);
    else started_at_ = utc_now_iso8601();
    started_ = Clock::now();
    save_state(true); // from here on, the folder can always be resumed
    g_stop_requests.store(0);
    auto previous_handler = std::signal(SIGINT, [](int) { Engine::request_stop(); });
    std::signal(SIGPIPE, SIG_IGN); // a dead worker shows up as EOF on its pipe instead

    bool interrupted = false;
    try {
        run_loop(interrupted);
    } catch (const std::exception &e) {
        // A searcher or scheduler failed, or the disk did: keep what was done. The workers
        // stop, running trials are left to resume from their latest checkpoint, and the state
        // and summary.json record every trial so far before the error goes up. If the state
        // cannot be saved now, the copy saved before stays valid.
        stopping_ = true;
        resumable_stop_ = true;
        stop_reason_ = std::string("host error: ") + e.what();
        kill_all_workers();
        finish_unstarted_trials();
        std::signal(SIGINT, previous_handler);
        try {
            save_state(true);
        } catch (const std::exception &save_error) {
            spdlog::error("{}", save_error.what());
        }
        try {
            write_summary(experiment_dir_, make_summary());
        } catch (const std::exception &write_error) {
            spdlog::error("{}", write_error.what());
        }
        throw;
    }

    finish_unstarted_trials();
    remove_exited_workers();
    for (auto &slot : workers_) slot->process->shutdown();
    workers_.clear();
    std::signal(SIGINT, previous_handler);
    save_state(true);
    delete_dropped_checkpoints(true);

    EngineOutcome outcome;
    outcome.summary = make_summary();
    // Like the tutorial's test_best_model: score the best trial's checkpoint on held-out data,
    // if the trainable offers the evaluate extension (and the run was not cut short).
    if (!interrupted) outcome.summary.best_evaluation = evaluate_best(outcome.summary);
    outcome.interrupted = interrupted;
    outcome.experiment_dir = experiment_dir_;
    for (const auto &trial : trials_) outcome.errored_trials += trial->status == TrialStatus::Error;
    write_summary(experiment_dir_, outcome.summary);
    report_progress(true);
    return outcome;
}

void Engine::run_loop(bool &interrupted) {
    for (;;) {
        const int stop_requests = g_stop_requests.load();
        if (stop_requests >= 2) {
            interrupted = true;
            if (!stopping_ || !resumable_stop_) begin_stopping("interrupted", true);
            kill_all_workers(); // their trials resume from their latest checkpoint
            break;
        }
        if (stop_requests == 1 && !stopping_) {
            interrupted = true;
            begin_stopping("interrupted", true);
            out_ << "\nStopping: running trials pause after their current step, with a checkpoint "
                    "(Ctrl-C again to stop at once); `tune resume "
                 << experiment_dir_.string() << "` continues\n";
        }
        if (experiment_.time_budget_s && !stopping_ && elapsed_s() >= *experiment_.time_budget_s)
            begin_stopping("time budget reached", false);
        // Trials are created and started only after something that could change the answer:
        // a trial starting, ending or pausing, or news for a searcher that was not ready.
        if (!stopping_ && scheduling_needed_) {
            scheduling_needed_ = false;
            create_trials();
            start_trials();
        }
        if (count(TrialStatus::Running) == 0) break; // nothing can produce news any more

        poll_fds_.clear();
        polled_.clear();
        for (auto &slot : workers_) {
            if (slot->awaiting.empty()) continue;
            poll_fds_.push_back({slot->process->reply_fd(), POLLIN, 0});
            polled_.push_back(slot.get());
        }
        const int timeout_ms = 200;
        if (::poll(poll_fds_.data(), poll_fds_.size(), timeout_ms) > 0)
            for (std::size_t i = 0; i < poll_fds_.size(); ++i)
                if (poll_fds_[i].revents & (POLLIN | POLLHUP | POLLERR)) handle_replies(*polled_[i]);
        check_step_timeouts();
        remove_exited_workers();
        save_state(false);
        report_progress(false);
    }
}

void Engine::begin_stopping(const std::string &reason, bool resumable) {
    stopping_ = true;
    resumable_stop_ = resumable;
    stop_reason_ = reason;
    for (auto &slot : workers_)
        if (slot->trial && slot->ending == Ending::None) {
            slot->ending = resumable ? Ending::Pause : Ending::Stop;
            slot->end_reason = reason;
        }
}

std::size_t Engine::first_unfinished() const {
    // Trials mostly finish in creation order: skip the finished prefix so that the per-event
    // scans stay short in experiments with many thousands of trials.
    while (first_unfinished_ < trials_.size() && trials_[first_unfinished_]->finished()) ++first_unfinished_;
    return first_unfinished_;
}

std::size_t Engine::count(TrialStatus status) const {
    std::size_t n = 0;
    for (std::size_t i = first_unfinished(); i < trials_.size(); ++i) n += trials_[i]->status == status;
    return n;
}

double Engine::elapsed_s() const {
    return elapsed_before_s_ + std::chrono::duration<double>(Clock::now() - started_).count();
}

std::size_t Engine::free_slots() const {
    std::size_t running = count(TrialStatus::Running);
    std::size_t limit = experiment_.max_concurrent_trials > 0 ? static_cast<std::size_t>(experiment_.max_concurrent_trials)
                                                              : std::numeric_limits<std::size_t>::max();
    if (running >= limit) return 0;
    ResourcePool trial_pool = pool_;
    std::size_t fit = 0;
    while (fit < limit - running && fit < 1024 && trial_pool.try_allocate(experiment_.resources)) ++fit;
    return fit;
}

void Engine::create_trials() {
    // Keep as many trials pending as could start now (at least one), so resources never sit
    // idle while the searcher could propose more, and adaptive searchers are not asked early.
    while (!searcher_finished_ && !searcher_waiting_) {
        if (count(TrialStatus::Pending) >= std::max<std::size_t>(1, free_slots())) return;
        const std::string id = fmt::format("{:05}", trials_.size());
        SuggestResult suggestion = searcher_->suggest(id);
        if (suggestion.outcome == TUNE_SUGGEST_FINISHED) {
            searcher_finished_ = true;
            return;
        }
        if (suggestion.outcome == TUNE_SUGGEST_NOT_READY) {
            searcher_waiting_ = true;
            return;
        }
        auto trial = std::make_unique<Trial>();
        trial->id = id;
        trial->dir = experiment_dir_ / ("trial_" + id);
        trial->config = json::parse(suggestion.config_json);
        trial->seed = trial_seed(experiment_.seed, trials_.size());
        scheduler_->on_trial_add(id, suggestion.config_json);
        trials_.push_back(std::move(trial));
        state_dirty_ = true;
    }
}

void Engine::start_trials() {
    for (;;) {
        if (experiment_.max_concurrent_trials > 0 &&
            count(TrialStatus::Running) >= static_cast<std::size_t>(experiment_.max_concurrent_trials))
            return;
        json candidates = json::array();
        for (std::size_t i = first_unfinished(); i < trials_.size(); ++i) {
            const Trial &trial = *trials_[i];
            if (trial.status == TrialStatus::Pending || trial.status == TrialStatus::Paused)
                candidates.push_back({{"trial_id", trial.id}, {"status", status_name(trial.status)}});
        }
        if (candidates.empty()) return;
        auto allocation = pool_.try_allocate(experiment_.resources);
        if (!allocation) return;
        auto chosen = scheduler_->choose_trial_to_run(candidates.dump());
        Trial *trial = nullptr;
        for (std::size_t i = first_unfinished(); chosen && i < trials_.size(); ++i)
            if (trials_[i]->id == *chosen &&
                (trials_[i]->status == TrialStatus::Pending || trials_[i]->status == TrialStatus::Paused))
                trial = trials_[i].get();
        if (!trial) {
            pool_.release(*allocation);
            if (chosen)
                throw PluginCallError(TUNE_ERROR_INTERNAL,
                                      fmt::format("scheduler '{}' chose trial '{}', which is not waiting to run",
                                                  scheduler_->info().id, *chosen));
            return;
        }
        launch(*trial, std::move(*allocation));
    }
}

Engine::WorkerSlot &Engine::acquire_worker(const Allocation &allocation) {
    const std::string key = allocation.cuda_visible_devices() + "/" + std::to_string(allocation.threads());
    // A worker still owing replies for a trial that failed is not idle yet.
    for (auto &slot : workers_)
        if (!slot->trial && slot->awaiting.empty() && slot->resource_key == key) return *slot;
    // Idle workers with other resources cannot be reused (CUDA_VISIBLE_DEVICES is fixed at
    // process start): end one so the number of processes stays bounded.
    for (auto &slot : workers_)
        if (!slot->trial && slot->awaiting.empty()) {
            slot->process->shutdown(0.5);
            slot->process.reset();
            break;
        }
    remove_exited_workers();

    auto slot = std::make_unique<WorkerSlot>();
    slot->process = WorkerProcess::spawn(
        worker_launch(allocation, experiment_dir_ / "logs" / fmt::format("worker_{:03}.log", workers_started_++)));
    slot->resource_key = key;
    expect(*slot, MessageType::Ready);
    workers_.push_back(std::move(slot));
    return *workers_.back();
}

json Engine::trial_config(const Trial &trial) const {
    json config = experiment_.trainable_config.is_object() ? experiment_.trainable_config : json::object();
    merge_into(config, trial.config);
    return config;
}

WorkerLaunch Engine::worker_launch(const Allocation &allocation, const fs::path &log_file) const {
    // The trial's GPUs and thread count are fixed when the process starts: OpenMP, MKL and
    // OpenBLAS size their thread pools when they load, before a plugin could say otherwise.
    const std::string threads = std::to_string(allocation.threads());
    return {options_.worker_executable,
            log_file,
            {"CUDA_VISIBLE_DEVICES=" + allocation.cuda_visible_devices(), "OMP_NUM_THREADS=" + threads,
             "MKL_NUM_THREADS=" + threads, "OPENBLAS_NUM_THREADS=" + threads}};
}

json Engine::start_request(const Trial &trial, const Allocation &allocation, const json &restore_from) const {
    return {{"library", trainable_library_.string()},
            {"plugin_id", trainable_id_},
            {"config", trial_config(trial)},
            {"context",
             {{"trial_id", trial.id},
              {"trial_dir", trial.dir.string()},
              {"num_cpus", allocation.threads()},
              {"num_gpus", allocation.gpu},
              {"seed", trial.seed}}},
            {"restore_from", restore_from}};
}

json Engine::evaluate_best(const ExperimentSummary &summary) {
    const auto best = summary.best_trial();
    if (!best) return nullptr;
    const Trial &trial = *trials_[*best];
    const CheckpointRecord *checkpoint = trial.latest_checkpoint();
    if (!checkpoint) return nullptr;
    auto allocation = pool_.try_allocate(experiment_.resources); // every trial has ended: it fits
    if (!allocation) return nullptr;

    pool_.release(*allocation);
    auto worker = WorkerProcess::spawn(worker_launch(*allocation, experiment_dir_ / "logs" / "evaluate.log"));
    worker->send({MessageType::StartTrial, start_request(trial, *allocation, nullptr).dump()});
    worker->send({MessageType::Evaluate, json{{"dir", checkpoint->dir.string()}}.dump()});

    // Replies: Ready, then StartTrial's, then Evaluate's.
    std::vector<Message> replies;
    while (replies.size() < 3 && !worker->closed()) {
        pollfd fd{worker->reply_fd(), POLLIN, 0};
        ::poll(&fd, 1, 200);
        for (auto &reply : worker->read_available()) replies.push_back(std::move(reply));
    }
    worker->shutdown();
    if (replies.size() < 3) {
        spdlog::warn("evaluating the best checkpoint failed: the worker {}", worker->wait_and_describe());
        return nullptr;
    }
    const Message &result = replies[2];
    if (result.type == MessageType::Error) {
        json error = json::parse(result.payload, nullptr, false);
        if (!error.is_discarded() && error.value("status", 0) != TUNE_ERROR_NOT_SUPPORTED)
            spdlog::warn("evaluating the best checkpoint failed: {}", error.value("message", result.payload));
        return nullptr;
    }
    if (replies[1].type == MessageType::Error) return nullptr;
    json evaluation = json::parse(result.payload, nullptr, false);
    return evaluation.is_object() ? evaluation : json(nullptr);
}

void Engine::launch(Trial &trial, Allocation allocation) {
    WorkerSlot &slot = acquire_worker(allocation);
    // A paused or failed trial continues from its latest checkpoint, or starts over.
    const CheckpointRecord *checkpoint = trial.latest_checkpoint();
    const long long resume_from = checkpoint ? checkpoint->iteration : 0;
    // Its logs then show each iteration once: results after the checkpoint are produced again.
    // (Always cut: after a resume the logs may hold results the saved state never saw.)
    try {
        truncate_trial_logs(trial.dir, resume_from);
    } catch (const std::runtime_error &e) {
        throw DiskError(e.what());
    }
    trial.iteration = resume_from;
    trial.time_total_s = checkpoint ? checkpoint->time_total_s : 0.0;
    trial.status = TrialStatus::Running;
    trial.stop_reason.clear();
    trial.interrupted = false;
    trial.allocation = allocation;
    state_dirty_ = true;

    scheduling_needed_ = true; // resources may remain for another trial
    slot.trial = &trial;
    try {
        slot.logger = std::make_unique<TrialLogger>(trial.dir, trial.config);
    } catch (const std::runtime_error &e) {
        throw DiskError(e.what());
    }
    slot.iterations_since_restore = 0;
    slot.ending = Ending::None;
    slot.end_reason.clear();

    const json request = start_request(trial, allocation, checkpoint ? json(checkpoint->dir.string()) : json(nullptr));
    // StartTrial and the first Step go together: one round trip instead of two.
    bool sent = slot.process->send({MessageType::StartTrial, request.dump()}) &&
                slot.process->send({MessageType::Step, {}});
    expect(slot, MessageType::StartTrial);
    expect(slot, MessageType::Step);
    slot.step_started = Clock::now();
    if (!sent) {
        handle_worker_exit(slot);
        remove_exited_workers(); // slot is gone now
    }
}

void Engine::handle_replies(WorkerSlot &slot) {
    std::vector<Message> replies;
    try {
        replies = slot.process->read_available();
    } catch (const std::exception &e) {
        spdlog::error("worker {}: {}", slot.process->pid(), e.what());
        slot.process->kill();
        handle_worker_exit(slot);
        return;
    }
    for (const auto &reply : replies) {
        if (!slot.process) return; // a reply's handling found the worker gone
        if (slot.awaiting.empty()) {
            spdlog::warn("worker {} sent an unexpected {}", slot.process->pid(), message_type_name(reply.type));
            continue;
        }
        MessageType request = slot.awaiting.front();
        slot.awaiting.pop_front();
        slot.waiting_since = Clock::now(); // the next reply's wait starts now
        state_dirty_ = true;
        handle_reply(slot, request, reply);
    }
    if (slot.process && slot.process->closed()) handle_worker_exit(slot);
}

void Engine::handle_reply(WorkerSlot &slot, MessageType request, const Message &reply) {
    if (request == MessageType::Ready || !slot.trial) return; // handshake, or a reply for a detached trial
    if (reply.type == MessageType::Error) {
        std::string message = reply.payload;
        int status = TUNE_ERROR_INTERNAL;
        try {
            const json error = json::parse(reply.payload);
            message = error.at("message").get<std::string>();
            status = error.value("status", status);
        } catch (const json::exception &) {
        }
        // A checkpoint that cannot be written is a disk problem, not the trial's: stop the run
        // (resumably) rather than fail trial after trial.
        if (request == MessageType::Save && status == TUNE_ERROR_IO)
            throw DiskError(fmt::format("trial {}: cannot write checkpoint {}: {}", slot.trial->id,
                                        slot.pending_checkpoint.string(), message));
        const std::string tail = slot.process->log_tail(10);
        fail_trial(slot, tail.empty() ? message : message + "; last output:\n" + tail);
        return;
    }
    switch (request) {
    case MessageType::Step: on_result(slot, reply.payload); break;
    case MessageType::Save: commit_checkpoint(slot); break;
    default: break; // StartTrial: Ok, the pipelined Step follows
    }
}

std::string Engine::stop_criteria_reason(const Trial &trial, const json &result) const {
    if (result.value("done", false)) return "the trainable reported done";
    const auto &stop = experiment_.stop;
    if (stop.training_iteration && trial.iteration >= *stop.training_iteration)
        return fmt::format("training_iteration {} >= {}", trial.iteration, *stop.training_iteration);
    if (stop.time_total_s && trial.time_total_s >= *stop.time_total_s)
        return fmt::format("time_total_s {} >= {}", format_number(trial.time_total_s), format_number(*stop.time_total_s));
    for (const auto &[metric, threshold] : stop.metrics) {
        auto it = result.find(metric);
        if (it == result.end() || !it->is_number()) continue;
        double value = it->get<double>();
        if (threshold.direction == MetricThreshold::Direction::AtLeast && value >= threshold.value)
            return fmt::format("{} {} >= {}", metric, format_number(value), format_number(threshold.value));
        if (threshold.direction == MetricThreshold::Direction::AtMost && value <= threshold.value)
            return fmt::format("{} {} <= {}", metric, format_number(value), format_number(threshold.value));
    }
    return {};
}

void Engine::on_result(WorkerSlot &slot, const std::string &payload) {
    Trial &trial = *slot.trial;
    const auto now = Clock::now();
    const double step_s = std::chrono::duration<double>(now - slot.step_started).count();
    json result;
    try {
        result = json::parse(payload);
    } catch (const json::exception &e) {
        fail_trial(slot, std::string("step returned invalid JSON: ") + e.what());
        return;
    }
    if (!result.is_object()) {
        fail_trial(slot, "step returned JSON that is not an object");
        return;
    }
    trial.iteration += 1;
    trial.time_total_s += step_s;
    slot.iterations_since_restore += 1;
    json fields{{"training_iteration", trial.iteration},
                {"time_this_iter_s", step_s},
                {"time_total_s", trial.time_total_s},
                {"iterations_since_restore", slot.iterations_since_restore},
                {"timestamp", unix_time_s()},
                {"trial_id", trial.id}};
    bool plugin_set_host_field = false;
    for (const auto &field : fields.items()) plugin_set_host_field = plugin_set_host_field || result.contains(field.key());
    result.update(fields);
    if (trial.iteration == 1 && !result.contains(experiment_.metric))
        spdlog::warn("trial {}: result has no '{}' (the experiment's metric); keys: {}", trial.id, experiment_.metric,
                     result.dump());

    std::string reason = stop_criteria_reason(trial, result); // reads the plugin's "done"
    Ending ending = reason.empty() ? Ending::None : Ending::Stop;
    if (ending == Ending::None && slot.ending != Ending::None) { // stopping everything (begin_stopping)
        ending = slot.ending;
        reason = slot.end_reason;
    }
    const bool plugin_set_done = result.contains("done");
    result["done"] = fields["done"] = ending == Ending::Stop;
    // Append the host's fields to the plugin's own text instead of re-serialising the whole
    // result, which this path does once per result. If the plugin set one of those keys
    // itself, the host's value replaces it and the result is serialised again.
    const std::string result_text = plugin_set_host_field || plugin_set_done ? result.dump()
                                                                             : append_fields(payload, fields);
    trial.last_result = std::move(result);
    try {
        slot.logger->log_result(trial.last_result, result_text);
    } catch (const std::runtime_error &e) {
        throw DiskError(e.what());
    }
    searcher_->on_result(trial.id, result_text);
    if (searcher_waiting_) scheduling_needed_ = true;
    searcher_waiting_ = false;

    if (ending == Ending::None) {
        SchedulerDecision decision = scheduler_->on_trial_result(trial.id, result_text);
        // The audit trail stores the scheduler's explanation as it came, if it is JSON.
        json detail = json::parse(decision.detail_json.empty() ? "{}" : decision.detail_json, nullptr, false);
        if (detail.is_discarded()) {
            detail = {{"text", decision.detail_json}};
            decision.detail_json = detail.dump();
        }
        // The audit trail records every decision the scheduler explains, and every one that
        // is not "continue"; a bare "continue" (FIFO's only answer) says nothing to audit.
        if (decision.action != TUNE_DECISION_CONTINUE || !detail.empty())
            slot.logger->log_decision(trial.iteration, decision_name(decision.action), decision.detail_json);
        if (decision.action != TUNE_DECISION_CONTINUE) {
            ending = decision.action == TUNE_DECISION_STOP ? Ending::Stop : Ending::Pause;
            std::string why = detail.is_object() && detail.contains("reason") ? format_cell(detail["reason"]) : "";
            reason = fmt::format("{} by scheduler{}{}", decision.action == TUNE_DECISION_STOP ? "stopped" : "paused",
                                 why.empty() ? "" : ": ", why);
        }
    }
    slot.ending = ending;
    slot.end_reason = reason;

    const auto &policy = experiment_.checkpoint;
    bool periodic = policy.frequency > 0 && trial.iteration % policy.frequency == 0;
    bool checkpoint = periodic || (ending == Ending::Stop && policy.at_end) || ending == Ending::Pause;
    if (checkpoint) request_checkpoint(slot);
    if (ending == Ending::None) {
        if (!slot.process->send({MessageType::Step, {}})) return handle_worker_exit(slot);
        expect(slot, MessageType::Step);
        slot.step_started = Clock::now();
    } else if (!checkpoint) {
        end_trial(slot);
    }
}

void Engine::request_checkpoint(WorkerSlot &slot) {
    Trial &trial = *slot.trial;
    slot.pending_checkpoint = trial.dir / (checkpoint_name(trial.iteration) + ".tmp");
    slot.pending_checkpoint_iteration = trial.iteration;
    std::error_code ec;
    fs::remove_all(slot.pending_checkpoint, ec);
    fs::create_directories(slot.pending_checkpoint, ec);
    if (ec) throw DiskError(fmt::format("cannot create {}: {}", slot.pending_checkpoint.string(), ec.message()));
    if (!slot.process->send({MessageType::Save, json{{"dir", slot.pending_checkpoint.string()}}.dump()}))
        return handle_worker_exit(slot);
    expect(slot, MessageType::Save);
}

void Engine::commit_checkpoint(WorkerSlot &slot) {
    Trial &trial = *slot.trial;
    // Rename makes the checkpoint appear whole or not at all.
    fs::path final_dir = trial.dir / checkpoint_name(slot.pending_checkpoint_iteration);
    std::error_code ec;
    try { // its contents reach the disk before its name does, so a power loss cannot publish half of it
        sync_folder_tree(slot.pending_checkpoint);
    } catch (const std::exception &e) {
        throw DiskError(fmt::format("cannot finish checkpoint {}: {}", final_dir.string(), e.what()));
    }
    fs::remove_all(final_dir, ec);
    fs::rename(slot.pending_checkpoint, final_dir, ec);
    if (ec) throw DiskError(fmt::format("cannot finish checkpoint {}: {}", final_dir.string(), ec.message()));
    sync_folder(trial.dir);
    // A retried trial may re-save an iteration: replace the record rather than add a twin.
    trial.checkpoints.erase(std::remove_if(trial.checkpoints.begin(), trial.checkpoints.end(),
                                           [&](const auto &c) { return c.iteration >= slot.pending_checkpoint_iteration; }),
                            trial.checkpoints.end());
    const std::string &attribute =
        experiment_.checkpoint.score_attribute.empty() ? experiment_.metric : experiment_.checkpoint.score_attribute;
    double score = std::numeric_limits<double>::quiet_NaN();
    if (trial.last_result.contains(attribute) && trial.last_result[attribute].is_number())
        score = trial.last_result[attribute].get<double>();
    trial.checkpoints.push_back({slot.pending_checkpoint_iteration, final_dir, score, trial.time_total_s});
    apply_retention(trial);
    if (slot.ending != Ending::None && slot.awaiting.empty()) end_trial(slot);
}

void Engine::apply_retention(Trial &trial) {
    const long long keep = experiment_.checkpoint.num_to_keep;
    if (keep <= 0 || static_cast<long long>(trial.checkpoints.size()) <= keep) return;
    // Keep the num_to_keep best by score (NaN counts as worst), and always the latest,
    // which a paused or failed trial resumes from.
    std::vector<std::size_t> order(trial.checkpoints.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    const bool maximize = experiment_.checkpoint.score_order == TUNE_MODE_MAX;
    auto better = [&](std::size_t a, std::size_t b) {
        double sa = trial.checkpoints[a].score, sb = trial.checkpoints[b].score;
        if (std::isnan(sa) != std::isnan(sb)) return std::isnan(sb);
        if (sa != sb) return maximize ? sa > sb : sa < sb;
        return trial.checkpoints[a].iteration > trial.checkpoints[b].iteration; // newer wins ties
    };
    std::stable_sort(order.begin(), order.end(), better);
    std::vector<bool> kept(order.size(), false);
    for (long long i = 0; i < keep; ++i) kept[order[static_cast<std::size_t>(i)]] = true;
    kept.back() = true;
    std::vector<CheckpointRecord> remaining;
    for (std::size_t i = 0; i < trial.checkpoints.size(); ++i) {
        if (kept[i]) {
            remaining.push_back(trial.checkpoints[i]);
        } else {
            dropped_checkpoints_.emplace_back(state_sequence_, trial.checkpoints[i].dir);
        }
    }
    trial.checkpoints = std::move(remaining);
}

void Engine::detach(WorkerSlot &slot) {
    Trial &trial = *slot.trial;
    scheduling_needed_ = true; // its resources are free again
    if (trial.allocation) pool_.release(*trial.allocation);
    trial.allocation.reset();
    if (slot.logger) {
        try {
            slot.logger->flush();
        } catch (const std::exception &e) {
            spdlog::error("{}", e.what());
        }
    }
    slot.logger.reset();
    slot.trial = nullptr;
    slot.ending = Ending::None;
}

void Engine::end_trial(WorkerSlot &slot) {
    Trial &trial = *slot.trial;
    const Ending ending = slot.ending;
    const std::string reason = slot.end_reason;
    detach(slot);
    if (ending == Ending::Pause) {
        trial.status = TrialStatus::Paused;
        trial.stop_reason = reason;
        // Paused by Ctrl-C rather than by the scheduler: resume restarts it at once.
        trial.interrupted = is_interruption(reason);
        return;
    }
    trial.status = TrialStatus::Terminated;
    trial.stop_reason = reason;
    const std::optional<std::string> last = last_result_text(trial);
    searcher_->on_complete(trial.id, last, false);
    searcher_waiting_ = false;
    scheduler_->on_trial_complete(trial.id, last);
}

void Engine::fail_trial(WorkerSlot &slot, const std::string &message) {
    Trial &trial = *slot.trial;
    detach(slot);
    trial.failures += 1;
    trial.error = message;
    spdlog::warn("trial {} failed (failure {} of at most {}): {}", trial.id, trial.failures,
                 experiment_.max_failures + 1, message);
    // Every failure, not only the last, stays in the trial's folder (as Ray's error.txt).
    std::ofstream errors(trial.dir / "error.txt", std::ios::app);
    errors << fmt::format("failure {} at {} after training_iteration {}: {}\n", trial.failures, utc_now_iso8601(),
                          trial.iteration, message);
    if (trial.failures <= experiment_.max_failures && (!stopping_ || resumable_stop_)) {
        trial.status = TrialStatus::Pending; // retried from its latest checkpoint
        return;
    }
    trial.status = TrialStatus::Error;
    trial.stop_reason = "error";
    const std::optional<std::string> last = last_result_text(trial);
    searcher_->on_complete(trial.id, last, true);
    searcher_waiting_ = false;
    scheduler_->on_trial_error(trial.id);
}

void Engine::handle_worker_exit(WorkerSlot &slot) {
    if (!slot.process) return;
    const std::string how = slot.process->wait_and_describe();
    if (slot.trial) {
        std::string tail = slot.process->log_tail(10);
        fail_trial(slot, fmt::format("worker process {} {}{}{}", slot.process->pid(), how,
                                     tail.empty() ? "" : "; last output:\n", tail));
    }
    slot.process.reset(); // removed from workers_ by the event loop
    slot.awaiting.clear();
}

void Engine::remove_exited_workers() {
    workers_.erase(std::remove_if(workers_.begin(), workers_.end(), [](const auto &slot) { return !slot->process; }),
                   workers_.end());
}

void Engine::kill_all_workers() {
    for (auto &slot : workers_) {
        if (!slot->process) continue;
        slot->process->kill();
        if (slot->trial && slot->ending != Ending::None && !is_interruption(slot->end_reason)) {
            // Its end was decided; only its last checkpoint was being written.
            try {
                end_trial(*slot);
            } catch (const std::exception &e) {
                spdlog::error("{}", e.what());
            }
        } else if (slot->trial) { // stopped mid-step: resume restarts it from its latest checkpoint
            Trial &trial = *slot->trial;
            detach(*slot);
            trial.status = TrialStatus::Paused;
            trial.interrupted = true;
            trial.stop_reason = stop_reason_.empty() ? "stopped" : stop_reason_;
        }
        state_dirty_ = true;
        slot->process.reset();
    }
    workers_.clear();
}

void Engine::finish_unstarted_trials() {
    state_dirty_ = true;
    for (auto &trial : trials_) {
        if (resumable_stop_) { // left as they are, for `tune resume`
            if (trial->status == TrialStatus::Pending) trial->stop_reason = "not started: " + stop_reason_;
            continue;
        }
        if (trial->status == TrialStatus::Paused) {
            trial->status = TrialStatus::Terminated;
            trial->stop_reason = stopping_ ? stop_reason_ : "paused and never resumed by the scheduler";
            const std::optional<std::string> last = last_result_text(*trial);
            searcher_->on_complete(trial->id, last, false);
            scheduler_->on_trial_complete(trial->id, last);
        } else if (trial->status == TrialStatus::Pending) {
            trial->stop_reason = "not started: " + (stopping_ ? stop_reason_ : std::string("the experiment ended"));
        }
    }
}

ExperimentSummary Engine::make_summary() const {
    ExperimentSummary summary;
    summary.name = experiment_.name;
    summary.metric = experiment_.metric;
    summary.mode = experiment_.mode;
    summary.started_at = started_at_;
    summary.ended_at = utc_now_iso8601();
    summary.wall_time_s = elapsed_s();
    summary.end_reason = stopping_ ? stop_reason_ : "all trials finished";
    for (const auto &trial : trials_) {
        TrialSummary t;
        t.id = trial->id;
        t.dir = trial->dir.filename().string();
        t.status = status_name(trial->status);
        t.stop_reason = trial->stop_reason;
        t.error = trial->error;
        t.failures = trial->failures;
        t.config = trial->config;
        t.last_result = trial->last_result;
        t.iteration = trial->iteration;
        if (const auto *checkpoint = trial->latest_checkpoint()) t.checkpoint = checkpoint->dir.string();
        summary.trials.push_back(std::move(t));
    }
    return summary;
}

void Engine::report_progress(bool force) {
    const double now = elapsed_s();
    if (!force && !reporter_.due(now)) return;
    // Make the logs on disk current at every tick, so a killed host loses at most one interval.
    for (auto &slot : workers_)
        if (slot->logger) slot->logger->flush();
    if (reporter_.style() == ProgressStyle::Quiet) return;
    ProgressSnapshot snapshot;
    snapshot.experiment = experiment_.name;
    snapshot.elapsed_s = now;
    for (const auto &trial : trials_) {
        ++snapshot.counts[status_name(trial->status)];
        snapshot.rows.push_back({"trial_" + trial->id, status_name(trial->status), trial->config, trial->last_result});
    }
    snapshot.cpus_used = pool_.used_cpus();
    snapshot.cpus_total = pool_.total_cpus();
    snapshot.gpus_used = pool_.used_gpus();
    snapshot.gpus_total = pool_.total_gpus();
    snapshot.scheduler = scheduler_->info().id;
    try {
        snapshot.scheduler_state = json::parse(scheduler_->describe_state());
    } catch (const std::exception &) {
        snapshot.scheduler_state = json::object();
    }
    snapshot.metric = experiment_.metric;
    snapshot.mode = experiment_.mode;
    reporter_.report(snapshot, now);
}

} // namespace tune::core
