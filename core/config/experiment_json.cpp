#include "core/config/experiment_json.hpp"

#include <stdexcept>

#include "core/config/plugin_settings.hpp"

namespace tune::core {

using nlohmann::json;

namespace {

json optional_number(const std::optional<double> &value) { return value ? json(*value) : json(nullptr); }

template <class T> T read(const json &object, const char *key, const std::string &where) {
    try {
        return object.at(key).get<T>();
    } catch (const json::exception &e) {
        throw std::runtime_error("saved experiment: '" + where + key + "' is missing or invalid (" + e.what() + ")");
    }
}

std::optional<double> read_optional(const json &object, const char *key) {
    auto found = object.find(key);
    if (found == object.end() || found->is_null()) return std::nullopt;
    return found->get<double>();
}

tune_mode_t mode_named(const std::string &name) { return name == "max" ? TUNE_MODE_MAX : TUNE_MODE_MIN; }

} // namespace

json experiment_to_json(const Experiment &e) {
    json metrics = json::object();
    for (const auto &[metric, threshold] : e.stop.metrics) {
        json written = json::object();
        written[threshold.direction == MetricThreshold::Direction::AtLeast ? "at_least" : "at_most"] = threshold.value;
        metrics[metric] = written;
    }
    return {{"name", e.name},
            {"metric", e.metric},
            {"mode", mode_name(e.mode)},
            {"num_samples", e.num_samples},
            {"seed", e.seed},
            {"source_file", e.source_file.string()},
            {"results_dir", e.results_dir.string()},
            {"max_concurrent_trials", e.max_concurrent_trials},
            {"time_budget_s", optional_number(e.time_budget_s)},
            {"total_cpus", optional_number(e.total_cpus)},
            {"total_gpus", optional_number(e.total_gpus)},
            {"max_failures", e.max_failures},
            {"step_timeout_s", optional_number(e.step_timeout_s)},
            {"cpus_per_node", optional_number(e.cpus_per_node)},
            {"gpus_per_node", optional_number(e.gpus_per_node)},
            {"trials_on_controller", e.trials_on_controller},
            {"lend_spare_cpus", e.lend_spare_cpus},
            {"trainable", {{"plugin", e.trainable_plugin}, {"config", e.trainable_config},
                           {"resources", {{"cpu", e.resources.cpu}, {"gpu", e.resources.gpu}}}}},
            {"search_space", e.search_space},
            {"searcher",
             {{"plugin", e.searcher.plugin},
              {"options", e.searcher.options},
              {"max_concurrent", e.searcher_wrappers.max_concurrent},
              {"repeat", e.searcher_wrappers.repeat}}},
            {"scheduler", {{"plugin", e.scheduler.plugin}, {"options", e.scheduler.options}}},
            {"stop",
             {{"training_iteration",
               e.stop.training_iteration ? json(*e.stop.training_iteration) : json(nullptr)},
              {"time_total_s", optional_number(e.stop.time_total_s)},
              {"metrics", metrics}}},
            {"checkpoint",
             {{"frequency", e.checkpoint.frequency},
              {"at_end", e.checkpoint.at_end},
              {"num_to_keep", e.checkpoint.num_to_keep},
              {"score_attribute", e.checkpoint.score_attribute},
              {"score_order", mode_name(e.checkpoint.score_order)}}}};
}

Experiment experiment_from_json(const json &j) {
    Experiment e;
    e.name = read<std::string>(j, "name", "");
    e.metric = read<std::string>(j, "metric", "");
    e.mode = mode_named(read<std::string>(j, "mode", ""));
    e.num_samples = read<long long>(j, "num_samples", "");
    e.seed = read<std::uint64_t>(j, "seed", "");
    e.source_file = read<std::string>(j, "source_file", "");
    e.results_dir = read<std::string>(j, "results_dir", "");
    e.max_concurrent_trials = read<long long>(j, "max_concurrent_trials", "");
    e.time_budget_s = read_optional(j, "time_budget_s");
    e.total_cpus = read_optional(j, "total_cpus");
    e.total_gpus = read_optional(j, "total_gpus");
    e.max_failures = read<long long>(j, "max_failures", "");
    e.step_timeout_s = read_optional(j, "step_timeout_s");
    // Added with MPI support: a state saved before has none of them.
    e.cpus_per_node = read_optional(j, "cpus_per_node");
    e.gpus_per_node = read_optional(j, "gpus_per_node");
    e.trials_on_controller = j.value("trials_on_controller", true);
    e.lend_spare_cpus = j.value("lend_spare_cpus", false); // a state saved before it has none

    const json trainable = read<json>(j, "trainable", "");
    e.trainable_plugin = read<std::string>(trainable, "plugin", "trainable.");
    e.trainable_config = read<json>(trainable, "config", "trainable.");
    const json resources = read<json>(trainable, "resources", "trainable.");
    e.resources.cpu = read<double>(resources, "cpu", "trainable.resources.");
    e.resources.gpu = read<double>(resources, "gpu", "trainable.resources.");
    e.search_space = read<json>(j, "search_space", "");
    for (auto [choice, key] : {std::pair{&e.searcher, "searcher"}, std::pair{&e.scheduler, "scheduler"}}) {
        const json section = read<json>(j, key, "");
        choice->plugin = read<std::string>(section, "plugin", std::string(key) + ".");
        choice->options = read<json>(section, "options", std::string(key) + ".");
    }
    // Absent in experiments saved before the wrappers existed.
    const json searcher = read<json>(j, "searcher", "");
    e.searcher_wrappers.max_concurrent = searcher.value("max_concurrent", 0LL);
    e.searcher_wrappers.repeat = searcher.value("repeat", 1LL);

    const json stop = read<json>(j, "stop", "");
    if (stop.contains("training_iteration") && !stop["training_iteration"].is_null())
        e.stop.training_iteration = read<long long>(stop, "training_iteration", "stop.");
    e.stop.time_total_s = read_optional(stop, "time_total_s");
    const json metrics = read<json>(stop, "metrics", "stop."); // kept alive for the loop
    for (auto item = metrics.begin(); item != metrics.end(); ++item) {
        const std::string where = "stop.metrics." + item.key() + ".";
        MetricThreshold t;
        if (item.value().contains("at_most")) {
            t.direction = MetricThreshold::Direction::AtMost;
            t.value = read<double>(item.value(), "at_most", where);
        } else {
            t.value = read<double>(item.value(), "at_least", where);
        }
        e.stop.metrics[item.key()] = t;
    }

    const json checkpoint = read<json>(j, "checkpoint", "");
    e.checkpoint.frequency = read<long long>(checkpoint, "frequency", "checkpoint.");
    e.checkpoint.at_end = read<bool>(checkpoint, "at_end", "checkpoint.");
    e.checkpoint.num_to_keep = read<long long>(checkpoint, "num_to_keep", "checkpoint.");
    e.checkpoint.score_attribute = read<std::string>(checkpoint, "score_attribute", "checkpoint.");
    e.checkpoint.score_order = mode_named(read<std::string>(checkpoint, "score_order", "checkpoint."));
    return e;
}

} // namespace tune::core
