#include "core/engine/live_report.hpp"

#include <exception>

#include <spdlog/spdlog.h>

namespace tune::core {

LiveReport::LiveReport(SummaryWriter write_summary, PageWriter write_page, const Clock &clock, double interval_s)
    : write_summary_(std::move(write_summary)), write_page_(std::move(write_page)), clock_(clock),
      interval_s_(interval_s), last_refresh_s_(clock.now_s()) {}

LiveReport::~LiveReport() { wait(); }

bool LiveReport::due() const { return clock_.now_s() - last_refresh_s_ >= interval_s_; }

void LiveReport::refresh(const ExperimentSummary &summary) {
    last_refresh_s_ = clock_.now_s();
    try {
        write_summary_(summary);
    } catch (const std::exception &e) {
        spdlog::warn("the live report's summary.json was not refreshed: {}", e.what());
    }
    if (page_busy_.load()) return; // the previous page is still being written
    if (page_thread_.joinable()) page_thread_.join();
    page_busy_.store(true);
    page_thread_ = std::thread([this] {
        try {
            write_page_();
        } catch (const std::exception &e) {
            spdlog::warn("the live report was not refreshed: {}", e.what());
        }
        page_busy_.store(false);
    });
}

void LiveReport::wait() {
    if (page_thread_.joinable()) page_thread_.join();
}

} // namespace tune::core
