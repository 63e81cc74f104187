// Keeps what `tune report` shows fresh while an experiment runs: summary.json (the trials'
// statuses, which their files alone do not tell) and report.html, at most every interval_s, so
// a user can reload the page during a long run. The page is written on a background thread:
// a large experiment's report never holds up the controller, and a refresh that comes while the
// previous page is still being written skips the page rather than start a second writer.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

#include "core/engine/clock.hpp"
#include "core/report/experiment_summary.hpp"

namespace tune::core {

class LiveReport {
public:
    using SummaryWriter = std::function<void(const ExperimentSummary &)>; // the controller's thread
    using PageWriter = std::function<void()>;                            // the background thread

    // The first refresh is due interval_s after construction. Errors of either writer are
    // logged as warnings: a report that cannot be written never stops the experiment.
    LiveReport(SummaryWriter write_summary, PageWriter write_page, const Clock &clock, double interval_s);
    ~LiveReport(); // waits for a page being written
    LiveReport(const LiveReport &) = delete;
    LiveReport &operator=(const LiveReport &) = delete;

    bool due() const;
    // Writes summary (a running experiment's: end_reason "running") now, and starts writing the
    // page unless one is still being written. Called on the controller's thread.
    void refresh(const ExperimentSummary &summary);
    // Waits for the page being written, if any.
    void wait();
    bool page_in_flight() const { return page_busy_.load(); }

private:
    SummaryWriter write_summary_;
    PageWriter write_page_;
    const Clock &clock_;
    double interval_s_;
    double last_refresh_s_;
    std::thread page_thread_;
    std::atomic<bool> page_busy_{false};
};

} // namespace tune::core
