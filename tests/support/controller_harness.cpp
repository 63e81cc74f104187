#include "support/controller_harness.hpp"

#include <stdexcept>

#include "core/config/plugin_settings.hpp"
#include "core/plugin/host_services.hpp"
#include "core/state/state_store.hpp"
#include "support/test_paths.hpp"

namespace tune::test {
using nlohmann::json;

namespace {

core::PluginRegistry test_registry() {
    std::vector<std::string> warnings;
    auto registry = core::PluginRegistry::scan({plugin_dir(), test_plugin_dir()}, warnings);
    if (!warnings.empty()) throw std::runtime_error("plugin scan: " + warnings.front());
    return registry;
}

core::SearcherAdapter make_searcher(const core::PluginRegistry &registry, const core::Experiment &experiment) {
    core::SearcherAdapter searcher(registry.create(experiment.searcher.plugin, core::host_services(), TUNE_KIND_SEARCHER));
    searcher.setup(core::searcher_settings(experiment).dump());
    return searcher;
}

core::SchedulerAdapter make_scheduler(const core::PluginRegistry &registry, const core::Experiment &experiment) {
    core::SchedulerAdapter scheduler(
        registry.create(experiment.scheduler.plugin, core::host_services(), TUNE_KIND_SCHEDULER));
    scheduler.setup(core::scheduler_settings(experiment).dump());
    return scheduler;
}

} // namespace

core::Experiment unit_experiment(long long num_samples) {
    core::Experiment experiment;
    experiment.name = "unit";
    experiment.metric = "loss";
    experiment.mode = TUNE_MODE_MIN;
    experiment.num_samples = num_samples;
    experiment.seed = 7;
    experiment.results_dir = "/nonexistent/results"; // nothing may touch it
    experiment.total_cpus = 2;
    experiment.total_gpus = 0;
    experiment.trainable_plugin = "fake";
    experiment.search_space = {{"x", {{"uniform", {0.0, 1.0}}}}};
    experiment.searcher = {"org.tune.searcher.random", json::object()};
    experiment.scheduler = {"org.tune.scheduler.fifo", json::object()};
    experiment.stop.training_iteration = 4;
    experiment.checkpoint.at_end = true;
    return experiment;
}

FakeTrainable falling_loss() {
    return {[](const json &config, long long iteration) {
                return json{{"loss", config.at("x").get<double>() + 1.0 / static_cast<double>(iteration)}};
            },
            1.0};
}

core::ExperimentState Storage::last_state() const {
    if (states.empty()) throw std::logic_error("no state was saved");
    return core::StateStore::decode(states.back());
}

ControllerHarness::ControllerHarness(const core::Experiment &experiment, FakeTrainable trainable,
                                     std::shared_ptr<Storage> storage, bool resume, core::LiveReport *live_report)
    : experiment_(experiment), storage_(std::move(storage)), registry_(test_registry()),
      searcher_(make_searcher(registry_, experiment_)),
      wrapped_searcher_(searcher_, experiment_.searcher_wrappers, experiment_.metric),
      scheduler_(make_scheduler(registry_, experiment_)),
      executor_(storage_->clock, storage_->checkpoints, std::move(trainable)),
      keeper_(storage_->checkpoints, experiment_.checkpoint, experiment_.metric),
      saver_([states = &storage_->states](const core::ExperimentState &state) {
                 states->push_back(core::StateStore::encode(state));
             },
             storage_->clock, 0.25),
      reporter_(out_, core::ProgressStyle::Quiet, 1e9) {
    controller_ = std::make_unique<core::Controller>(
        experiment_, experiment_.experiment_dir(), core::ResourcePool(*experiment_.total_cpus, 0),
        core::ControllerParts{executor_, wrapped_searcher_.get(), scheduler_, keeper_, storage_->records, saver_, reporter_,
                              storage_->clock, stop_requests_, out_, live_report});
    if (resume) controller_->restore(storage_->last_state());
}

const core::Trial &ControllerHarness::trial(const std::string &trial_id) const {
    for (const auto &trial : controller_->trials())
        if (trial->id == trial_id) return *trial;
    throw std::out_of_range("no trial " + trial_id);
}

std::string ControllerHarness::status(const std::string &trial_id) const {
    return core::status_name(trial(trial_id).status);
}

} // namespace tune::test
