// What saving the experiment state costs: encoding alone, and a full atomic save (write,
// fsync, two renames, folder fsync), for experiments of 10 to 10 000 trials. Run by hand:
//   build/bench/tune_state_save_bench [folder on the disk to measure, default /tmp]
// docs/fault-tolerance.md quotes its output.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include "core/state/state_store.hpp"

namespace {

using tune::core::ExperimentState;

// A state shaped like a real one: each trial with a config, a result of a dozen fields and
// two checkpoints, and scheduler state that grows with the trials (ASHA's rungs).
ExperimentState make_state(int trials) {
    ExperimentState state;
    state.experiment_json = std::string(1500, 'e');
    state.searcher_state = std::string(300, 's');
    state.scheduler_state = std::string(static_cast<std::size_t>(trials) * 40, 'r');
    for (int i = 0; i < trials; ++i) {
        tune::core::TrialState t;
        t.id = std::to_string(100000 + i).substr(1);
        t.status = "TERMINATED";
        t.config_json = R"({"x":0.123456789,"y":-0.98765,"rate":0.4567,"l1":128,"l2":64})";
        t.last_result_json = R"({"loss":0.0123456,"score":-0.0123456,"training_iteration":27,"time_this_iter_s":0.0201,)"
                             R"("time_total_s":0.5432,"iterations_since_restore":27,"timestamp":1795000000.123,)"
                             R"("trial_id":")" + t.id + R"(","done":true})";
        t.iteration = 27;
        t.checkpoints = {{9, "trial_" + t.id + "/checkpoint_000009", 0.1, 0.2},
                         {27, "trial_" + t.id + "/checkpoint_000027", 0.01, 0.54}};
        t.stop_reason = "training_iteration 27 >= 27";
        state.trials.push_back(std::move(t));
    }
    return state;
}

} // namespace

int main(int argc, char **argv) {
    namespace fs = std::filesystem;
    using Clock = std::chrono::steady_clock;
    const fs::path dir = fs::path(argc > 1 ? argv[1] : "/tmp") / "tune_state_save_bench";
    fs::create_directories(dir);
    tune::core::StateStore store(dir);
    std::printf("%8s %12s %14s %14s\n", "trials", "bytes", "encode_us", "save_us");
    for (int trials : {10, 100, 1000, 10000}) {
        const ExperimentState state = make_state(trials);
        const int rounds = trials >= 10000 ? 20 : 200;
        auto start = Clock::now();
        std::size_t bytes = 0;
        for (int i = 0; i < rounds; ++i) bytes = tune::core::StateStore::encode(state).size();
        const double encode_us = std::chrono::duration<double, std::micro>(Clock::now() - start).count() / rounds;
        start = Clock::now();
        for (int i = 0; i < rounds; ++i) store.save(state);
        const double save_us = std::chrono::duration<double, std::micro>(Clock::now() - start).count() / rounds;
        std::printf("%8d %12zu %14.1f %14.1f\n", trials, bytes, encode_us, save_us);
    }
    fs::remove_all(dir);
}
