// The typed form of an experiment file: what `tune run` executes.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "tune/types.h"

namespace tune::core {

// Resources one trial reserves. cpu may be fractional; gpu may be a fraction (packed onto
// one device) or a whole number of devices.
struct ResourceRequest {
    double cpu = 1.0;
    double gpu = 0.0;
};

// A threshold on a reported metric that ends a trial once crossed.
struct MetricThreshold {
    enum class Direction { AtLeast, AtMost };
    Direction direction = Direction::AtLeast;
    double value = 0.0;
};

struct StopCriteria {
    std::optional<long long> training_iteration; // stop once training_iteration >= this
    std::optional<double> time_total_s;          // stop once a trial has trained this long
    std::map<std::string, MetricThreshold> metrics;
};

struct CheckpointPolicy {
    long long frequency = 0;     // save every N iterations; 0 = never periodically
    bool at_end = true;          // save when a trial ends
    long long num_to_keep = 0;   // 0 = keep all
    std::string score_attribute; // empty = the experiment's metric
    tune_mode_t score_order = TUNE_MODE_MIN; // which end of score_attribute is best
};

// A searcher or scheduler: which plugin and its options (passed through as JSON).
struct PluginChoice {
    std::string plugin;
    nlohmann::json options = nlohmann::json::object();
};

// [searcher] max_concurrent and repeat: Ray Tune's ConcurrencyLimiter and Repeater, around
// any searcher (core/engine/searcher_wrappers.hpp).
struct SearcherWrappers {
    long long max_concurrent = 0; // trials of the searcher in flight at once; 0: no limit
    long long repeat = 1;         // each suggestion runs this many times; the searcher is told the mean
};

struct Experiment {
    std::filesystem::path source_file; // the TOML file it was read from

    // [experiment]
    std::string name;
    std::string metric;
    tune_mode_t mode = TUNE_MODE_MIN;
    long long num_samples = 1;
    std::uint64_t seed = 0;
    std::filesystem::path results_dir = "results"; // the experiment writes <results_dir>/<name>
    long long max_concurrent_trials = 0;           // 0 = as many as resources allow
    std::optional<double> time_budget_s;           // wall-clock limit for the whole experiment
    std::optional<double> total_cpus;              // default: the machine's CPUs (one node only)
    std::optional<double> total_gpus;              // default: the machine's GPUs (one node only)
    std::optional<double> cpus_per_node;           // default: what each node detects
    std::optional<double> gpus_per_node;           // default: what each node detects
    bool trials_on_controller = true;              // MPI: rank 0's node runs trials too
    bool lend_spare_cpus = false;                  // CPUs no trial holds go to the running trials' threads
    long long max_failures = 0;                    // retries of a failed trial
    std::optional<double> step_timeout_s;          // a step (or save) taking longer fails the trial

    // [trainable]
    std::string trainable_plugin;
    nlohmann::json trainable_config = nlohmann::json::object(); // constants merged into every config
    ResourceRequest resources;

    // [search_space], in the JSON form the searcher receives (see docs/search-space.md)
    nlohmann::json search_space = nlohmann::json::object();

    PluginChoice searcher{"org.tune.searcher.random", nlohmann::json::object()};
    SearcherWrappers searcher_wrappers;
    PluginChoice scheduler{"org.tune.scheduler.fifo", nlohmann::json::object()};
    StopCriteria stop;
    CheckpointPolicy checkpoint;

    std::filesystem::path experiment_dir() const { return results_dir / name; }
};

} // namespace tune::core
