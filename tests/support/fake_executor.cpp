#include "support/fake_executor.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "tune/types.h"

namespace tune::test {
using core::TrialEvent;
using core::TrialRequest;

FakeExecutor::FakeExecutor(FakeClock &clock, MemoryCheckpoints &disk, FakeTrainable trainable)
    : clock_(clock), disk_(disk), trainable_(std::move(trainable)) {}

void FakeExecutor::lose_at(const std::string &trial_id, long long iteration, int times) {
    losses_[{trial_id, iteration}] += times;
}

void FakeExecutor::fail_save_at(const std::string &trial_id, long long iteration, int status) {
    save_failures_[{trial_id, iteration}] = status;
}

std::string FakeExecutor::short_path(const std::string &dir) const {
    const std::filesystem::path path(dir);
    return (path.parent_path().filename() / path.filename()).string();
}

void FakeExecutor::start(const core::TrialLaunch &launch) {
    if (running_.count(launch.trial_id)) throw std::logic_error("trial " + launch.trial_id + " started twice");
    running_[launch.trial_id].launch = launch;
    max_running_ = std::max(max_running_, running_.size());
    request(launch.trial_id, {TrialRequest::Start, launch.restore_from});
}

void FakeExecutor::step(const std::string &trial_id) { request(trial_id, {TrialRequest::Step, {}}); }

void FakeExecutor::save(const std::string &trial_id, const std::string &checkpoint_dir) {
    request(trial_id, {TrialRequest::Save, checkpoint_dir});
}

void FakeExecutor::evaluate(const std::string &trial_id, const std::string &checkpoint_dir) {
    request(trial_id, {TrialRequest::Evaluate, checkpoint_dir});
}

void FakeExecutor::request(const std::string &trial_id, Request request) {
    auto found = running_.find(trial_id);
    if (found == running_.end()) return;
    auto &requests = found->second.requests;
    requests.push_back(std::move(request));
    const auto steps = static_cast<std::size_t>(std::count_if(
        requests.begin(), requests.end(), [](const Request &r) { return r.kind == TrialRequest::Step && r.threads == 0; }));
    max_steps_in_flight_ = std::max(max_steps_in_flight_, steps);
}

void FakeExecutor::release(const std::string &trial_id) {
    auto found = running_.find(trial_id);
    if (found == running_.end()) return;
    if (!found->second.requests.empty())
        journal.push_back(fmt::format("release {} dropping {} requests", trial_id, found->second.requests.size()));
    running_.erase(found);
}

void FakeExecutor::set_threads(const std::string &trial_id, unsigned threads) {
    request(trial_id, {TrialRequest::Step, {}, threads});
}

void FakeExecutor::abort() { running_.clear(); }

void FakeExecutor::shutdown() { running_.clear(); }

void FakeExecutor::poll(double timeout_s, std::vector<TrialEvent> &events) {
    // Every running trial answers its oldest request; they run side by side, so the clock
    // moves by the longest of them.
    std::vector<std::string> ids;
    for (const auto &[id, trial] : running_)
        if (!trial.requests.empty()) ids.push_back(id);
    double elapsed = ids.empty() ? timeout_s : 0.0;
    for (const auto &id : ids) elapsed = std::max(elapsed, answer(id, events));
    clock_.advance(elapsed);
}

double FakeExecutor::answer(const std::string &trial_id, std::vector<TrialEvent> &events) {
    Running &trial = running_.at(trial_id);
    // Thread updates take no turn of their own: the worker applies them on its way to the next request.
    while (!trial.requests.empty() && trial.requests.front().threads > 0) {
        journal.push_back(fmt::format("threads {} -> {}", trial_id, trial.requests.front().threads));
        trial.requests.pop_front();
    }
    if (trial.requests.empty()) return 0.0;
    const Request request = trial.requests.front();
    trial.requests.pop_front();
    TrialEvent event{TrialEvent::Kind::Started, trial_id, request.kind, 0, {}};
    double took = 0.0;
    switch (request.kind) {
    case TrialRequest::Start:
        trial.iteration = request.dir.empty() ? 0 : disk_.read(request.dir).at("iteration").get<long long>();
        trial.reported_done = false;
        journal.push_back("start " + trial_id + (request.dir.empty() ? "" : " from " + short_path(request.dir)));
        break;
    case TrialRequest::Step: {
        const long long next = trial.iteration + 1;
        if (trial.reported_done) {
            event = {TrialEvent::Kind::Skipped, trial_id, request.kind, 0, {}};
            journal.push_back(fmt::format("skip {} at {}", trial_id, next));
            break;
        }
        took = trainable_.step_s;
        if (int &losses = losses_[{trial_id, next}]; losses > 0) {
            --losses;
            journal.push_back(fmt::format("lost {} at {}", trial_id, next));
            event = {TrialEvent::Kind::Lost, trial_id, request.kind, 0, "worker process 4242 killed by signal 9 (Killed)"};
            running_.erase(trial_id);
            break;
        }
        trial.iteration = next;
        const nlohmann::json result = trainable_.result(trial.launch.config, next);
        trial.reported_done = result.is_object() && result.value("done", false);
        event = {TrialEvent::Kind::Result, trial_id, request.kind, 0, result.is_string() ? result.get<std::string>() : result.dump()};
        journal.push_back(fmt::format("step {} -> {}", trial_id, next));
        break;
    }
    case TrialRequest::Save:
        if (auto failure = save_failures_.find({trial_id, trial.iteration}); failure != save_failures_.end()) {
            event = {TrialEvent::Kind::Failed, trial_id, request.kind, failure->second, "cannot write: No space left on device"};
            journal.push_back(fmt::format("save failed {} at {}", trial_id, trial.iteration));
            running_.erase(trial_id);
            break;
        }
        disk_.write(request.dir, {{"iteration", trial.iteration}, {"config", trial.launch.config}});
        event.kind = TrialEvent::Kind::Saved;
        journal.push_back(fmt::format("save {} at {}", trial_id, trial.iteration));
        break;
    case TrialRequest::Evaluate: {
        const long long iteration = disk_.read(request.dir).at("iteration").get<long long>();
        event.kind = TrialEvent::Kind::Evaluated;
        event.text = nlohmann::json{{"test_iteration", iteration}}.dump();
        journal.push_back("evaluate " + trial_id + " " + short_path(request.dir));
        break;
    }
    }
    if (on_event) on_event(event);
    events.push_back(std::move(event));
    return took;
}

} // namespace tune::test
