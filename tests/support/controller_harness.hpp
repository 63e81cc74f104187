// A Controller wired to in-memory parts (FakeExecutor, MemoryCheckpoints, MemoryRecords, a
// FakeClock, states kept as encoded bytes) and to real searcher and scheduler plugins, so
// that a test runs a whole experiment in milliseconds with no processes, sleeps or files.
#pragma once

#include <atomic>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/config/experiment.hpp"
#include "core/engine/checkpoint_keeper.hpp"
#include "core/engine/controller.hpp"
#include "core/engine/searcher_wrappers.hpp"
#include "core/engine/state_saver.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "core/plugin/scheduler_adapter.hpp"
#include "core/plugin/searcher_adapter.hpp"
#include "core/report/progress_reporter.hpp"
#include "support/fake_executor.hpp"
#include "support/memory_storage.hpp"

namespace tune::test {

// An experiment of num_samples trials on 2 CPUs, minimising "loss" over x in [0, 1] with the
// random searcher and FIFO, stopping at training_iteration 4. Tests change what they need.
core::Experiment unit_experiment(long long num_samples = 4);

// loss = x + 1 / iteration: lower x is better at every iteration, so rankings are stable.
FakeTrainable falling_loss();

// What outlives one controller: the "disk" (checkpoints, records, saved states) and the clock.
struct Storage {
    FakeClock clock;
    MemoryCheckpoints checkpoints;
    MemoryRecords records;
    std::vector<std::string> states; // every state saved, encoded as StateStore writes it
    core::ExperimentState last_state() const; // decoded; fails the test if none was saved
};

class ControllerHarness {
public:
    // A fresh experiment, or with resume set, the experiment continued from the last state in
    // storage (as `tune resume` does after the host stopped). live_report: refreshed as the
    // engine's is (optional; not owned).
    ControllerHarness(const core::Experiment &experiment, FakeTrainable trainable,
                      std::shared_ptr<Storage> storage = std::make_shared<Storage>(), bool resume = false,
                      core::LiveReport *live_report = nullptr);

    // Runs the controller; returns whether it was interrupted.
    bool run() { return controller_->run(); }

    core::Controller &controller() { return *controller_; }
    FakeExecutor &executor() { return executor_; }
    Storage &storage() { return *storage_; }
    MemoryRecords &records() { return storage_->records; }
    std::atomic<int> &stop_requests() { return stop_requests_; }
    std::string output() const { return out_.str(); }

    // The trial's status name ("TERMINATED", ...) and its record.
    std::string status(const std::string &trial_id) const;
    const core::Trial &trial(const std::string &trial_id) const;

private:
    core::Experiment experiment_;
    std::shared_ptr<Storage> storage_;
    core::PluginRegistry registry_;
    core::SearcherAdapter searcher_;
    core::WrappedSearcher wrapped_searcher_; // [searcher] max_concurrent and repeat, as the engine does
    core::SchedulerAdapter scheduler_;
    FakeExecutor executor_;
    core::CheckpointKeeper keeper_;
    core::StateSaver saver_;
    std::ostringstream out_;
    core::ProgressReporter reporter_;
    std::atomic<int> stop_requests_{0};
    std::unique_ptr<core::Controller> controller_;
};

} // namespace tune::test
