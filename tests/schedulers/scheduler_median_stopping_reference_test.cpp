// The median stopping scheduler against a reference: 20 trials of synthetic losses, four
// running at a time, grace_period 3, min_samples_required 3, and the decision and median of
// every judged result as Ray's MedianStoppingRule computes them with numpy 1.24 (written out
// below; medians as hexadecimal floats). Running means here span up to 13 results, where
// numpy's pairwise summation rounds differently from a plain loop: the medians must match
// bit for bit.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <sstream>

#include "scheduler_median_stopping_fixture.hpp"

using namespace tune::test;

namespace {

// Trial i's loss at iteration t: a level per trial, a deterministic jitter and a decay.
double synthetic_loss(int trial, int t) {
    const double base = ((trial * 37) % 16) / 16.0;
    const double noise = ((trial * 7919 + t * 104729) % 1000) / 9970.0;
    return base + noise + 1.0 / (t + trial);
}

int length(int trial) { return 8 + (trial * 5) % 13; }

// "trial iteration ACTION median" for every judged result, from the reference.
const char *const reference = R"(
t03 3 STOP 0x1.25718b388a736p-1
t04 3 CONTINUE 0x1.66904e0ee4869p-1
t04 4 CONTINUE 0x1.2b5cb1af5fc68p-1
t04 5 CONTINUE 0x1.2301cf0dca9a7p-1
t04 6 CONTINUE 0x1.184d7da752e21p-1
t04 7 CONTINUE 0x1.0d44a34c4fc82p-1
t04 8 CONTINUE 0x1.0af74fda54593p-1
t05 3 STOP 0x1.25718b388a736p-1
t06 3 STOP 0x1.56cd1bae09f68p-1
t07 3 CONTINUE 0x1.8828ac2389799p-1
t07 4 CONTINUE 0x1.0aa59485f5f30p-1
t08 3 CONTINUE 0x1.56cd1bae09f68p-1
t07 5 CONTINUE 0x1.010aff65ed4c4p-1
t08 4 STOP 0x1.d3dceeb9183f1p-2
t07 6 CONTINUE 0x1.ed0dc38217c72p-2
t07 7 CONTINUE 0x1.e26107aadd107p-2
t07 8 CONTINUE 0x1.dd59d4f9f9574p-2
t09 3 STOP 0x1.4a39acdf2ce83p-1
t10 3 CONTINUE 0x1.69312c815b30ep-1
t11 3 CONTINUE 0x1.4a39acdf2ce83p-1
t07 9 CONTINUE 0x1.068559eb2b978p-1
t10 4 CONTINUE 0x1.0aa59485f5f30p-1
t11 4 STOP 0x1.d3dceeb9183f1p-2
t07 10 CONTINUE 0x1.00dd97c52d6cdp-1
t10 5 CONTINUE 0x1.be285f7c1ffc3p-2
t07 11 CONTINUE 0x1.00321b3dfbd25p-1
t10 6 CONTINUE 0x1.a9808bb589ca2p-2
t12 3 STOP 0x1.37d59c0bdbadcp-1
t07 12 CONTINUE 0x1.fbe13ee0e5e1bp-2
t10 7 CONTINUE 0x1.aa38c8bd1a90ap-2
t13 3 CONTINUE 0x1.4a39acdf2ce83p-1
t07 13 CONTINUE 0x1.ef8928092f417p-2
t10 8 CONTINUE 0x1.a4c50a3f49fc3p-2
t13 4 CONTINUE 0x1.f2cce56c826ecp-2
t10 9 CONTINUE 0x1.d480662e32183p-2
t13 5 CONTINUE 0x1.82b0a6a1fe9fap-2
t14 3 CONTINUE 0x1.37d59c0bdbadcp-1
t10 10 CONTINUE 0x1.cfdf00934b91cp-2
t13 6 CONTINUE 0x1.7980bb4b14d76p-2
t14 4 CONTINUE 0x1.d3dceeb9183f1p-2
t10 11 CONTINUE 0x1.ce2e5d534a23cp-2
t13 7 CONTINUE 0x1.78ee8937b07a2p-2
t14 5 STOP 0x1.4738edc7dd431p-2
t10 12 CONTINUE 0x1.c981129a3d9b8p-2
t13 8 CONTINUE 0x1.72dbf8dc81b2bp-2
t10 13 CONTINUE 0x1.bfea3823d610bp-2
t10 14 CONTINUE 0x1.908f31c32c7a4p-2
t15 3 STOP 0x1.25718b388a736p-1
t10 15 CONTINUE 0x1.8c927cd0babfap-2
t16 3 CONTINUE 0x1.37d59c0bdbadcp-1
t17 3 CONTINUE 0x1.25718b388a736p-1
t16 4 CONTINUE 0x1.dca722d9bb6bcp-2
t17 4 CONTINUE 0x1.d3dceeb9183f1p-2
t16 5 CONTINUE 0x1.82b0a6a1fe9fap-2
t17 5 STOP 0x1.4738edc7dd431p-2
t18 3 STOP 0x1.1c9b9e133c5b1p-1
t16 6 CONTINUE 0x1.4980eae09fe4bp-2
t16 7 CONTINUE 0x1.47a449b24663ap-2
t16 8 CONTINUE 0x1.40f2e779b9693p-2
t19 3 STOP 0x1.25718b388a736p-1
t16 9 CONTINUE 0x1.9bf618860d016p-2
t16 10 CONTINUE 0x1.9e02d19c3c49ep-2
)";

std::string trial_name(int trial) { return (trial < 10 ? "t0" : "t") + std::to_string(trial); }

} // namespace

TEST_CASE("median stopping: decisions and medians match the reference bit for bit") {
    auto rule = make_median({{"time_attr", "training_iteration"}, {"grace_period", 3}, {"min_samples_required", 3}});
    std::istringstream expected(reference);
    std::size_t judged = 0;
    std::size_t stops = 0;

    // Four slots, filled in trial order; each round steps every running trial once.
    constexpr int trials = 20;
    constexpr std::size_t slots = 4;
    int next = 0;
    std::vector<std::pair<int, int>> running; // (trial, iteration)
    while (next < trials || !running.empty()) {
        while (running.size() < slots && next < trials) {
            start(rule, trial_name(next));
            running.emplace_back(next++, 0);
        }
        for (std::size_t k = 0; k < running.size();) {
            auto &[trial, t] = running[k];
            ++t;
            const double loss = synthetic_loss(trial, t);
            Outcome outcome = report(rule, trial_name(trial), t, loss);
            if (outcome.detail.contains("median")) {
                std::string name, action, median_hex;
                int iteration = 0;
                REQUIRE(expected >> name >> iteration >> action >> median_hex);
                INFO(name << " " << iteration << ": " << outcome.detail.dump());
                CHECK(trial_name(trial) == name);
                CHECK(t == iteration);
                CHECK(outcome.action == action);
                CHECK(outcome.detail["median"].get<double>() == std::strtod(median_hex.c_str(), nullptr));
                ++judged;
            }
            if (outcome.action == "STOP" || t >= length(trial)) {
                stops += outcome.action == "STOP";
                rule.on_trial_complete(trial_name(trial), Json{{"training_iteration", t}, {"loss", loss}}.dump());
                running.erase(running.begin() + static_cast<std::ptrdiff_t>(k));
            } else {
                ++k;
            }
        }
    }
    std::string rest;
    CHECK_FALSE(expected >> rest); // every reference line was met
    CHECK(judged == 62);
    CHECK(stops == 12);
}
