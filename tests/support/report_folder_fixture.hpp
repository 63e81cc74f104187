// Experiment folders for the report's tests, written by the project's own writers (TrialLogger,
// write_summary), as `tune run` writes them: no hand-made result files.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/report/experiment_summary.hpp"
#include "core/report/trial_logger.hpp"

namespace tune::test {

// experiment.json of an experiment minimising "loss", with the scheduler plugin and options
// given and a loguniform "lr" and a choice "act" in its search space.
inline void write_experiment_json(const std::filesystem::path &dir, const std::string &scheduler = "org.tune.scheduler.asha",
                                  nlohmann::json scheduler_options = nlohmann::json::object()) {
    std::filesystem::create_directories(dir);
    nlohmann::json experiment{{"name", dir.filename().string()},
                              {"metric", "loss"},
                              {"mode", "min"},
                              {"trainable", {{"plugin", "org.tune.sample.curve"}}},
                              {"searcher", {{"plugin", "org.tune.searcher.random"}}},
                              {"scheduler", {{"plugin", scheduler}, {"options", scheduler_options}}},
                              {"search_space", {{"lr", {{"loguniform", {1e-4, 1e-1}}}}, {"act", {{"choice", {"relu", "tanh"}}}}}}};
    std::ofstream(dir / "experiment.json") << experiment.dump(2);
}

struct LoggedResult {
    double loss;
    double timestamp;
    double seconds = 1.0; // time_this_iter_s
    int pid = 100;
};

// A trial folder with one result per entry (training_iteration 1, 2, ...), and decisions.
inline void write_trial(const std::filesystem::path &experiment, const std::string &id, const nlohmann::json &config,
                        const std::vector<LoggedResult> &results,
                        const std::vector<std::pair<long long, nlohmann::json>> &stops = {}) {
    core::TrialLogger logger(experiment / ("trial_" + id), config);
    long long iteration = 0;
    for (const auto &r : results)
        logger.log_result(core::ResultLine(nlohmann::json{{"loss", r.loss},
                                                          {"training_iteration", ++iteration},
                                                          {"time_this_iter_s", r.seconds},
                                                          {"timestamp", r.timestamp},
                                                          {"trial_id", id},
                                                          {"node", "localhost"},
                                                          {"pid", r.pid},
                                                          {"done", false}}));
    for (const auto &[at, detail] : stops) logger.log_decision(at, "STOP", detail.dump());
    logger.flush();
}

} // namespace tune::test
