// libFuzzer harness: a searcher's or scheduler's saved state (the bytes their save() wrote into
// the experiment state) handed to the shipped plugins' restore(), as `tune resume` does. The
// first input byte picks the plugin, the rest is the state. Each plugin is set up as an
// experiment would set it up, then restored; a plugin answers bad state with an error status
// (PluginCallError here). A crash, a sanitizer report or any other exception is a finding.
//
// The plugin libraries are found in TUNE_FUZZ_PLUGIN_DIR (the build's plugin folder, compiled
// in), loaded once.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/plugin/host_services.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/plugin/plugin_library.hpp"
#include "core/plugin/scheduler_adapter.hpp"
#include "core/plugin/searcher_adapter.hpp"

using namespace tune::core;

namespace {

struct Subject {
    const char *library; // file name in the plugin folder
    const char *id;
    bool scheduler;
    const char *options; // JSON
};

// Every shipped searcher and scheduler with state worth saving.
const Subject kSubjects[] = {
    {"tune_random_searcher.so", "org.tune.searcher.random", false, "{}"},
    {"tune_grid_searcher.so", "org.tune.searcher.grid", false, "{}"},
    {"tune_tpe_searcher.so", "org.tune.searcher.tpe", false, R"({"n_startup_trials": 2})"},
    {"tune_fifo_scheduler.so", "org.tune.scheduler.fifo", true, "{}"},
    {"tune_asha_scheduler.so", "org.tune.scheduler.asha", true, R"({"max_t": 16, "brackets": 2})"},
    {"tune_hyperband_scheduler.so", "org.tune.scheduler.hyperband", true, R"({"max_t": 9})"},
    {"tune_median_stopping_scheduler.so", "org.tune.scheduler.median_stopping", true, "{}"},
    {"tune_pbt_scheduler.so", "org.tune.scheduler.pbt", true,
     R"({"perturbation_interval": 2, "hyperparam_mutations": {"x": {"uniform": [0, 1]}}})"},
};

std::vector<std::shared_ptr<PluginLibrary>> &libraries() {
    static std::vector<std::shared_ptr<PluginLibrary>> loaded = [] {
        std::vector<std::shared_ptr<PluginLibrary>> all;
        for (const Subject &subject : kSubjects)
            all.push_back(PluginLibrary::load(std::string(TUNE_FUZZ_PLUGIN_DIR) + "/" + subject.library));
        return all;
    }();
    return loaded;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t pick = data[0] % std::size(kSubjects);
    const Subject &subject = kSubjects[pick];
    const std::string state(reinterpret_cast<const char *>(data) + 1, size - 1);
    const nlohmann::json settings = {{"metric", "loss"},
                                     {"mode", "min"},
                                     {"seed", 7},
                                     {"num_samples", 8},
                                     {"space", {{"x", {{"uniform", {0, 1}}}}}},
                                     {"options", nlohmann::json::parse(subject.options)}};
    auto instance = libraries()[pick]->create(subject.id, host_services());
    try {
        if (subject.scheduler) {
            SchedulerAdapter scheduler(std::move(instance));
            scheduler.setup(settings.dump());
            scheduler.restore(state);
            (void)scheduler.save();
        } else {
            SearcherAdapter searcher(std::move(instance));
            searcher.setup(settings.dump());
            searcher.restore(state);
            (void)searcher.save();
        }
    } catch (const PluginCallError &) {
    }
    return 0;
}
