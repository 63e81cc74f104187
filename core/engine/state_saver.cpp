#include "core/engine/state_saver.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace tune::core {

StateSaver::StateSaver(std::function<void(const ExperimentState &)> write, const Clock &clock, double min_interval_s)
    : write_(std::move(write)), clock_(clock), min_interval_s_(min_interval_s), interval_s_(min_interval_s) {}

bool StateSaver::due() const { return dirty_ && clock_.now_s() - last_save_s_ >= interval_s_; }

std::uint64_t StateSaver::save(ExperimentState state) {
    const double started = clock_.now_s();
    state.sequence = sequence_ + 1;
    write_(state);
    sequence_ = state.sequence;
    dirty_ = false;
    last_save_s_ = clock_.now_s();
    const double save_s = last_save_s_ - started;
    interval_s_ = std::max(min_interval_s_, 20.0 * save_s);
    spdlog::debug("experiment state {} saved: {} trials in {:.2f} ms", state.sequence, state.trials.size(), save_s * 1e3);
    return sequence_;
}

} // namespace tune::core
