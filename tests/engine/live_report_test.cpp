// The live report: summary.json and report.html refreshed while an experiment runs, at most
// every interval, the page on a background thread that never runs twice at once.
#include <catch2/catch.hpp>

#include <future>
#include <mutex>
#include <stdexcept>

#include "core/engine/live_report.hpp"
#include "support/controller_harness.hpp"
#include "support/fake_executor.hpp"

using tune::core::ExperimentSummary;
using tune::core::LiveReport;

namespace {

struct Writes {
    std::mutex mutex;
    std::vector<ExperimentSummary> summaries;
    int pages = 0;
};

} // namespace

TEST_CASE("live report: due once the interval has passed since the last refresh", "[live_report]") {
    tune::test::FakeClock clock;
    Writes writes;
    LiveReport live([&](const ExperimentSummary &s) { writes.summaries.push_back(s); }, [&] { ++writes.pages; }, clock, 30.0);
    CHECK_FALSE(live.due());
    clock.advance(29.9);
    CHECK_FALSE(live.due());
    clock.advance(0.1);
    CHECK(live.due());
    live.refresh(ExperimentSummary{});
    CHECK_FALSE(live.due());
    live.wait();
    CHECK(writes.summaries.size() == 1);
    CHECK(writes.pages == 1);
}

TEST_CASE("live report: a refresh while a page is being written writes the summary but no second page", "[live_report]") {
    tune::test::FakeClock clock;
    Writes writes;
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::promise<void> started;
    LiveReport live([&](const ExperimentSummary &s) { writes.summaries.push_back(s); },
                    [&] {
                        started.set_value();
                        released.wait();
                        std::lock_guard<std::mutex> lock(writes.mutex);
                        ++writes.pages;
                    },
                    clock, 30.0);
    live.refresh(ExperimentSummary{});
    started.get_future().wait();
    CHECK(live.page_in_flight());
    live.refresh(ExperimentSummary{}); // the page is still being written
    CHECK(writes.summaries.size() == 2);
    release.set_value();
    live.wait();
    CHECK_FALSE(live.page_in_flight());
    CHECK(writes.pages == 1);
}

TEST_CASE("live report: a writer that fails never stops the experiment", "[live_report]") {
    tune::test::FakeClock clock;
    LiveReport live([](const ExperimentSummary &) { throw std::runtime_error("disk full"); },
                    [] { throw std::runtime_error("cannot write report.html.tmp"); }, clock, 30.0);
    CHECK_NOTHROW(live.refresh(ExperimentSummary{}));
    CHECK_NOTHROW(live.wait());
    CHECK_FALSE(live.page_in_flight());
}

TEST_CASE("live report: the controller refreshes it with a running summary every interval", "[live_report]") {
    auto storage = std::make_shared<tune::test::Storage>();
    Writes writes;
    LiveReport live([&](const ExperimentSummary &s) { writes.summaries.push_back(s); },
                    [&] {
                        std::lock_guard<std::mutex> lock(writes.mutex);
                        ++writes.pages;
                    },
                    storage->clock, 30.0);
    auto experiment = tune::test::unit_experiment(4); // 2 at a time, 4 steps of 10 s: 80 s in all
    auto trainable = tune::test::falling_loss();
    trainable.step_s = 10.0;
    tune::test::ControllerHarness harness(experiment, trainable, storage, false, &live);
    harness.run();
    live.wait();
    REQUIRE(writes.summaries.size() == 2); // at 30 s and 60 s
    for (const auto &summary : writes.summaries) {
        CHECK(summary.end_reason == "running");
        CHECK(summary.ended_at.empty());
        CHECK(summary.trials.size() >= 2);
    }
    CHECK(writes.summaries[0].trials[0].status == "RUNNING");
    // The second page is skipped if the first is still being written (the fake clock does not wait).
    CHECK(writes.pages >= 1);
    CHECK(writes.pages <= 2);

    // Once the run is over, progress reports never write a running summary over the final one.
    storage->clock.advance(60.0);
    harness.controller().report_progress(true);
    CHECK(writes.summaries.size() == 2);
}
