// A trial executor with no processes, pipes, sleeps or files, for controller tests (as
// ninja's FakeCommandRunner is for its builder): trials are a function from config and
// iteration to a result, checkpoints are JSON in MemoryCheckpoints, time is a FakeClock that
// each poll moves by one step, and faults are scripted.
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/engine/clock.hpp"
#include "core/execution/trial_executor.hpp"
#include "support/memory_storage.hpp"

namespace tune::test {

class FakeClock final : public core::Clock {
public:
    std::int64_t now_ns() const override { return now_ns_; }
    double unix_time_s() const override { return 1.8e9 + now_s(); }
    void advance(double seconds) { now_ns_ += static_cast<std::int64_t>(seconds * 1e9); }

private:
    std::int64_t now_ns_ = 0;
};

struct FakeTrainable {
    // The result of a trial with config at training_iteration `iteration` (1, 2, ...): what a
    // real trainable's step would return. A string is sent as it is (for malformed results).
    std::function<nlohmann::json(const nlohmann::json &config, long long iteration)> result;
    double step_s = 1.0; // seconds each step takes on the clock
};

class FakeExecutor final : public core::TrialExecutor {
public:
    FakeExecutor(FakeClock &clock, MemoryCheckpoints &disk, FakeTrainable trainable);

    // The step of trial_id that would produce `iteration` loses its worker (as a crash would),
    // the next `times` times it is reached.
    void lose_at(const std::string &trial_id, long long iteration, int times = 1);
    // The Save of trial_id at `iteration` fails with status (TUNE_ERROR_IO: a full disk).
    void fail_save_at(const std::string &trial_id, long long iteration, int status);
    // Called with every event before the controller sees it: a test presses Ctrl-C here.
    std::function<void(const core::TrialEvent &)> on_event;

    // One line per request handled, in order: "start 00000 from trial_00000/checkpoint_000002",
    // "step 00000 -> 3", "save 00000 at 3", "lost 00000 at 3", "evaluate 00000",
    // "skip 00000 at 4" (a Step after "done"), "release 00000 dropping 2 requests",
    // "threads 00000 -> 2" (CPUs lent or taken back: journaled when the trial reaches it in
    // its queue, as a worker takes it between two steps; no event answers it).
    std::vector<std::string> journal;
    std::size_t max_running() const { return max_running_; }
    // The most Steps any trial had in flight at once (the controller's step pipeline).
    std::size_t max_steps_in_flight() const { return max_steps_in_flight_; }

    void start(const core::TrialLaunch &launch) override;
    void step(const std::string &trial_id) override;
    void save(const std::string &trial_id, const std::string &checkpoint_dir) override;
    void evaluate(const std::string &trial_id, const std::string &checkpoint_dir) override;
    void release(const std::string &trial_id) override;
    void set_threads(const std::string &trial_id, unsigned threads) override;
    void poll(double timeout_s, std::vector<core::TrialEvent> &events) override;
    void abort() override;
    void shutdown() override;

private:
    struct Request {
        core::TrialRequest kind;
        std::string dir;      // Save, Evaluate
        unsigned threads = 0; // > 0: a thread update (set_threads) in the trial's queue, not kind
    };
    struct Running {
        core::TrialLaunch launch;
        long long iteration = 0;
        bool reported_done = false; // as a worker does, it never steps past a "done"
        std::deque<Request> requests;
    };

    void request(const std::string &trial_id, Request request);
    // Handles the oldest request of trial; returns the seconds it took on the clock.
    double answer(const std::string &trial_id, std::vector<core::TrialEvent> &events);
    std::string short_path(const std::string &dir) const;

    FakeClock &clock_;
    MemoryCheckpoints &disk_;
    FakeTrainable trainable_;
    std::map<std::string, Running> running_;
    std::map<std::pair<std::string, long long>, int> losses_;
    std::map<std::pair<std::string, long long>, int> save_failures_;
    std::size_t max_running_ = 0;
    std::size_t max_steps_in_flight_ = 0;
};

} // namespace tune::test
