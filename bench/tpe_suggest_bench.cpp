// What a suggestion of org.tune.searcher.tpe costs, through the plugin ABI as the host calls
// it: the median over 101 suggestions with 100 and with 1,000 finished trials, for 10
// parameters (ten uniform floats, and a mix of every kind of domain). Each measured trial is
// then completed as failed, which TPE ignores, so every suggestion sees the same history: one
// of random configs, or one TPE built itself, crowded around the optimum.
// Wall-clock time and the thread's CPU time (on a busy machine the first counts waiting too).
// Run by hand:
//   build/bench/tune_tpe_suggest_bench
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/plugin/host_services.hpp"
#include "core/plugin/plugin_library.hpp"
#include "core/plugin/searcher_adapter.hpp"

namespace {

using nlohmann::json;

double thread_cpu_ms() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) * 1e-6;
}

double median(std::vector<double> values) {
    std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2), values.end());
    return values[values.size() / 2];
}

// A loss over every numeric value of a config, with a minimum inside the space.
double loss_of(const json &config) {
    double loss = 0.0;
    for (const auto &item : config.items()) {
        if (item.value().is_number())
            loss += std::pow(std::log1p(std::abs(item.value().get<double>())) - 0.5, 2);
        else if (item.value() != "b")
            loss += 1.0;
    }
    return loss;
}

struct Timing {
    double wall_ms;
    double cpu_ms;
};

// finished trials first: random ones (n_startup_trials = finished), which fill the history fast,
// or, with by_tpe, TPE's own after 10 random ones, whose observations crowd around the optimum.
Timing measure(const json &space, int finished, bool by_tpe) {
    auto library = tune::core::PluginLibrary::load(TUNE_BENCH_TPE_PLUGIN);
    tune::core::SearcherAdapter searcher(library->create("org.tune.searcher.tpe", tune::core::host_services()));
    searcher.setup(json{{"metric", "loss"},
                        {"mode", "min"},
                        {"seed", 1},
                        {"num_samples", 100000},
                        {"space", space},
                        {"options", {{"n_startup_trials", by_tpe ? 10 : finished}}}}
                       .dump());
    for (int i = 0; i < finished; ++i) {
        const std::string id = "f" + std::to_string(i);
        const json config = json::parse(searcher.suggest(id).config_json);
        searcher.on_complete(id, json{{"loss", loss_of(config)}, {"training_iteration", 10}, {"done", true}}.dump(),
                             false);
    }
    std::vector<double> wall, cpu;
    for (int i = 0; i < 101; ++i) {
        const std::string id = "m" + std::to_string(i);
        const auto start = std::chrono::steady_clock::now();
        const double cpu_start = thread_cpu_ms();
        searcher.suggest(id);
        cpu.push_back(thread_cpu_ms() - cpu_start);
        wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
        searcher.on_complete(id, std::nullopt, true);
    }
    return {median(wall), median(cpu)};
}

} // namespace

int main() {
    json uniform = json::object();
    for (int i = 0; i < 10; ++i) uniform["x" + std::to_string(i)] = {{"uniform", {-5, 5}}};
    const json mixed = json::parse(R"JSON({
      "a": {"uniform": [-5, 5]}, "b": {"uniform": [0, 1]}, "c": {"quniform": [0, 1, 0.05]},
      "d": {"loguniform": [1e-5, 1e-1]}, "e": {"loguniform": [1, 1000]}, "f": {"randint": [0, 10]},
      "g": {"randint": [0, 1000]}, "h": {"lograndint": [1, 10000]}, "i": {"randn": [0, 1]},
      "j": {"choice": ["a", "b", "c", "d"]}
    })JSON");
    std::printf("org.tune.searcher.tpe, 10 parameters: median time per suggest (101 suggestions)\n");
    std::printf("%-8s %-7s %9s %10s %9s %16s\n", "space", "history", "finished", "wall_ms", "cpu_ms",
                "cpu_ms/parameter");
    for (const auto &[name, space] : {std::pair<const char *, json>{"uniform", uniform}, {"mixed", mixed}}) {
        for (const bool by_tpe : {false, true}) {
            for (int finished : {100, 1000}) {
                const Timing t = measure(space, finished, by_tpe);
                std::printf("%-8s %-7s %9d %10.3f %9.3f %16.4f\n", name, by_tpe ? "tpe" : "random", finished, t.wall_ms,
                            t.cpu_ms, t.cpu_ms / 10.0);
            }
        }
    }
    return 0;
}
