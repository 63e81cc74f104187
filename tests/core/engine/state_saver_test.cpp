#include <catch2/catch.hpp>

#include <vector>

#include "core/engine/state_saver.hpp"

using namespace tune::core;

namespace {

class StepClock final : public Clock {
public:
    std::int64_t now_ns() const override { return static_cast<std::int64_t>(now * 1e9); }
    double unix_time_s() const override { return now; }
    double now = 100.0;
};

} // namespace

TEST_CASE("state saver: saves only after a change, at most every interval, numbering the saves", "[state]") {
    StepClock clock;
    std::vector<std::uint64_t> written;
    StateSaver saver([&](const ExperimentState &state) { written.push_back(state.sequence); }, clock, 0.25);
    CHECK_FALSE(saver.due()); // nothing changed
    saver.mark_dirty();
    CHECK(saver.due()); // the first save is due at once
    CHECK(saver.save({}) == 1);
    saver.mark_dirty();
    clock.now += 0.1;
    CHECK_FALSE(saver.due()); // too soon
    clock.now += 0.2;
    CHECK(saver.due());
    saver.save({});
    CHECK(written == std::vector<std::uint64_t>{1, 2});
    CHECK_FALSE(saver.due());
}

TEST_CASE("state saver: a slow save stretches the interval to 20 times its cost", "[state]") {
    StepClock clock;
    StateSaver saver([&](const ExperimentState &) { clock.now += 0.1; }, clock, 0.25); // each save takes 0.1 s
    saver.save({});
    CHECK(saver.interval_s() == Approx(2.0));
    saver.mark_dirty();
    clock.now += 1.0;
    CHECK_FALSE(saver.due());
    clock.now += 1.0;
    CHECK(saver.due());
}

TEST_CASE("state saver: a resumed experiment continues the sequence, a failed write stays dirty", "[state]") {
    StepClock clock;
    bool fail = true;
    StateSaver saver(
        [&](const ExperimentState &) {
            if (fail) throw std::runtime_error("disk full");
        },
        clock, 0.25);
    saver.set_sequence(41);
    saver.mark_dirty();
    CHECK_THROWS(saver.save({}));
    CHECK(saver.sequence() == 41);
    CHECK(saver.due());
    fail = false;
    CHECK(saver.save({}) == 42);
}
