#include "core/config/experiment_loader.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>
#include <sstream>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include "core/config/key_suggestion.hpp"
#include "core/config/plugin_settings.hpp"
#include "core/config/search_space_check.hpp"
#include "core/config/table_reader.hpp"
#include "core/config/toml_overrides.hpp"
#include "core/config/toml_values.hpp"
#include "core/plugin/host_services.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/plugin/scheduler_adapter.hpp"
#include "core/plugin/searcher_adapter.hpp"

namespace tune::core {

namespace {

namespace fs = std::filesystem;

// The keys of each section, in the order docs/experiment-file.md lists them (and messages too).
const std::vector<std::string> kSections{"experiment", "trainable", "search_space", "searcher",
                                         "scheduler",  "stop",      "checkpoint"};
const std::vector<std::string> kExperimentKeys{
    "name",          "metric",     "mode",       "num_samples", "seed", "results_dir", "max_concurrent_trials",
    "time_budget_s", "total_cpus", "total_gpus", "max_failures", "step_timeout_s",
    "cpus_per_node", "gpus_per_node", "trials_on_controller", "lend_spare_cpus"};
const std::vector<std::string> kTrainableKeys{"plugin", "resources", "config"};
const std::vector<std::string> kResourceKeys{"cpu", "gpu"};
const std::vector<std::string> kPluginChoiceKeys{"plugin", "options"};
const std::vector<std::string> kSearcherKeys{"plugin", "options", "max_concurrent", "repeat"};
const std::vector<std::string> kStopKeys{"training_iteration", "time_total_s", "metrics"};
const std::vector<std::string> kThresholdKeys{"at_least", "at_most"};
const std::vector<std::string> kCheckpointKeys{"frequency", "at_end", "num_to_keep", "score_attribute",
                                               "score_order"};
const std::vector<std::string> kModes{"min", "max"};

constexpr const char *kNameExpectation = "a name of letters, digits, '_', '.' and '-' other than \".\" and \"..\"";
constexpr const char *kGpuExpectation = "a number >= 0 that is a fraction < 1 or a whole number";
constexpr const char *kThresholdExpectation = "a number, or a table { at_least = N } or { at_most = N }";

tune_mode_t mode_named(const std::string &name) { return name == "max" ? TUNE_MODE_MAX : TUNE_MODE_MIN; }

// The experiment name becomes a folder name under results_dir.
bool is_valid_name(const std::string &name) {
    if (name.empty() || name == "." || name == "..") return false;
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
               c == '-';
    });
}

[[noreturn]] void fail(ConfigIssue issue) { throw ConfigError({std::move(issue)}); }

// Far above any real experiment file (the largest sample is a few KiB).
constexpr std::size_t kMaxExperimentFileBytes = 16u << 20;

toml::table read_document(const fs::path &file) {
    const std::string name = file.string();
    std::error_code ec;
    if (fs::is_directory(file, ec)) fail({name, 0, 0, "", "cannot read the experiment file: it is a directory"});
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        const char *why = fs::exists(file, ec) ? "" : ": no such file";
        fail({name, 0, 0, "", std::string("cannot read the experiment file") + why});
    }
    // Read in pieces, and at most one byte past the limit: /dev/zero or a 1 GB file is refused
    // at once, and a small file costs no large buffer.
    std::string document;
    char piece[64 * 1024];
    while (document.size() <= kMaxExperimentFileBytes && in.read(piece, sizeof piece).gcount() > 0)
        document.append(piece, static_cast<std::size_t>(in.gcount()));
    if (document.size() > kMaxExperimentFileBytes)
        fail({name, 0, 0, "",
              fmt::format("the experiment file is larger than {} MiB; an experiment file holds settings and a "
                          "search space, not data",
                          kMaxExperimentFileBytes >> 20)});
    if (in.bad()) fail({name, 0, 0, "", "cannot read the experiment file: read error"});
    try {
        return toml::parse(std::string_view(document), std::string_view(name));
    } catch (const toml::parse_error &error) {
        fail({name, static_cast<int>(error.source().begin.line), static_cast<int>(error.source().begin.column), "",
              std::string(error.description())});
    }
}

// A top-level table of the schema; table is null when the section is absent or not a table
// (then `where` is its position, so a missing required key is reported there).
struct Section {
    const toml::table *table = nullptr;
    toml::source_region where;
};

Section find_section(const toml::table &document, const std::string &name, IssueLog &log) {
    const toml::node *node = document.get(name);
    if (!node) return {};
    if (!node->is_table()) {
        log.add(node->source(), name, "expected a table, got " + describe_toml_value(*node));
        return {nullptr, node->source()};
    }
    return {node->as_table(), node->source()};
}

// The section whose keys include key, for a key written above every section header.
std::optional<std::string> section_with_key(const std::string &key) {
    const std::vector<std::pair<std::string, const std::vector<std::string> *>> sections{
        {"experiment", &kExperimentKeys}, {"trainable", &kTrainableKeys}, {"stop", &kStopKeys},
        {"checkpoint", &kCheckpointKeys}};
    for (const auto &[section, keys] : sections)
        if (std::find(keys->begin(), keys->end(), key) != keys->end()) return section;
    return std::nullopt;
}

void check_top_level(const toml::table &document, IssueLog &log) {
    for (const auto &[key, value] : document) {
        const std::string name(key.str());
        if (std::find(kSections.begin(), kSections.end(), name) != kSections.end()) continue;
        const std::string path = append_key_path("", name);
        std::string message;
        if (!value.is_table()) {
            message = fmt::format("unknown key '{}' outside any section", path);
            if (auto section = section_with_key(name))
                message += fmt::format("; did you mean '{}' under [{}]?", append_key_path(*section, name), *section);
            else
                message += fmt::format("; known sections: {}", fmt::join(kSections, ", "));
        } else if (auto suggestion = closest_key(name, kSections)) {
            message = fmt::format("unknown section '{}'; did you mean '{}'?", path, *suggestion);
        } else {
            message = fmt::format("unknown section '{}'; known sections: {}", path, fmt::join(kSections, ", "));
        }
        log.add(key.source().begin.line > 0 ? key.source() : value.source(), path, std::move(message));
    }
}

void read_experiment(const Section &section, Experiment &experiment, IssueLog &log) {
    TableReader reader(section.table, "experiment", section.where, kExperimentKeys, log);
    reader.require("name", kNameExpectation);
    reader.require("metric", "a non-empty string, the reported metric to optimise");
    if (auto name = reader.string("name")) {
        if (is_valid_name(*name)) experiment.name = *name;
        else reader.wrong_type(*reader.node("name"), "name", kNameExpectation);
    }
    if (auto metric = reader.non_empty_string("metric")) experiment.metric = *metric;
    if (auto mode = reader.one_of("mode", kModes)) experiment.mode = mode_named(*mode);
    if (auto num_samples = reader.integer("num_samples", 1)) experiment.num_samples = *num_samples;
    if (auto seed = reader.integer("seed", 0)) experiment.seed = static_cast<std::uint64_t>(*seed);
    if (auto results_dir = reader.non_empty_string("results_dir")) experiment.results_dir = *results_dir;
    if (auto limit = reader.integer("max_concurrent_trials", 0)) experiment.max_concurrent_trials = *limit;
    experiment.time_budget_s = reader.number("time_budget_s", 0, false);
    experiment.total_cpus = reader.number("total_cpus", 0, false);
    experiment.total_gpus = reader.number("total_gpus", 0, true);
    if (auto max_failures = reader.integer("max_failures", 0)) experiment.max_failures = *max_failures;
    experiment.step_timeout_s = reader.number("step_timeout_s", 0, false);
    experiment.cpus_per_node = reader.number("cpus_per_node", 0, false);
    experiment.gpus_per_node = reader.number("gpus_per_node", 0, true);
    if (auto on_controller = reader.boolean("trials_on_controller")) experiment.trials_on_controller = *on_controller;
    if (auto lend = reader.boolean("lend_spare_cpus")) experiment.lend_spare_cpus = *lend;
}

void read_resources(const toml::table &table, const std::string &key_path, ResourceRequest &resources,
                    IssueLog &log) {
    TableReader reader(&table, key_path, table.source(), kResourceKeys, log);
    if (auto cpu = reader.number("cpu", 0, false)) resources.cpu = *cpu;
    if (auto gpu = reader.number("gpu", 0, true)) {
        // A fraction shares one device; more than one device cannot be shared by halves.
        if (*gpu > 1 && std::floor(*gpu) != *gpu) reader.out_of_range(*reader.node("gpu"), "gpu", kGpuExpectation);
        else resources.gpu = *gpu;
    }
}

void read_trainable(const Section &section, Experiment &experiment, IssueLog &log) {
    TableReader reader(section.table, "trainable", section.where, kTrainableKeys, log);
    reader.require("plugin", "a string, the trainable plugin's id or short name");
    if (auto plugin = reader.non_empty_string("plugin")) experiment.trainable_plugin = *plugin;
    if (const toml::table *resources = reader.sub_table("resources"))
        read_resources(*resources, reader.key_path("resources"), experiment.resources, log);
    if (const toml::table *config = reader.sub_table("config")) experiment.trainable_config = toml_to_json(*config);
}

void read_plugin_choice(TableReader &reader, PluginChoice &choice) {
    if (auto plugin = reader.non_empty_string("plugin")) choice.plugin = *plugin;
    if (const toml::table *options = reader.sub_table("options")) choice.options = toml_to_json(*options);
}

void read_scheduler(const Section &section, PluginChoice &choice, IssueLog &log) {
    TableReader reader(section.table, "scheduler", section.where, kPluginChoiceKeys, log);
    read_plugin_choice(reader, choice);
}

void read_searcher(const Section &section, Experiment &experiment, IssueLog &log) {
    TableReader reader(section.table, "searcher", section.where, kSearcherKeys, log);
    read_plugin_choice(reader, experiment.searcher);
    if (auto limit = reader.integer("max_concurrent", 0)) experiment.searcher_wrappers.max_concurrent = *limit;
    if (auto repeat = reader.integer("repeat", 1)) experiment.searcher_wrappers.repeat = *repeat;
}

std::optional<MetricThreshold> read_threshold(const toml::node &node, const std::string &key_path, IssueLog &log) {
    if (node.is_number()) {
        double value = toml_number(node);
        if (std::isfinite(value)) return MetricThreshold{MetricThreshold::Direction::AtLeast, value};
        log.add(node.source(), key_path, "expected a finite number, got " + toml_value_text(node));
        return std::nullopt;
    }
    if (!node.is_table()) {
        log.add(node.source(), key_path,
                fmt::format("expected {}, got {}", kThresholdExpectation, describe_toml_value(node)));
        return std::nullopt;
    }
    const toml::table &table = *node.as_table();
    TableReader reader(&table, key_path, table.source(), kThresholdKeys, log);
    auto at_least = reader.finite_number("at_least");
    auto at_most = reader.finite_number("at_most");
    if (reader.node("at_least") && reader.node("at_most")) {
        log.add(table.source(), key_path, "expected one of at_least or at_most, got both");
        return std::nullopt;
    }
    if (at_least) return MetricThreshold{MetricThreshold::Direction::AtLeast, *at_least};
    if (at_most) return MetricThreshold{MetricThreshold::Direction::AtMost, *at_most};
    // A table of unknown keys has been reported already; an empty one has not.
    if (table.empty())
        log.add(table.source(), key_path, fmt::format("expected {}, got an empty table", kThresholdExpectation));
    return std::nullopt;
}

void read_stop(const Section &section, StopCriteria &stop, IssueLog &log) {
    TableReader reader(section.table, "stop", section.where, kStopKeys, log);
    stop.training_iteration = reader.integer("training_iteration", 1);
    stop.time_total_s = reader.number("time_total_s", 0, false);
    if (const toml::table *metrics = reader.sub_table("metrics")) {
        for (const auto &[key, value] : *metrics) {
            std::string key_path = append_key_path(reader.key_path("metrics"), key.str());
            if (auto threshold = read_threshold(value, key_path, log))
                stop.metrics[std::string(key.str())] = *threshold;
        }
    }
}

void read_checkpoint(const Section &section, Experiment &experiment, IssueLog &log) {
    TableReader reader(section.table, "checkpoint", section.where, kCheckpointKeys, log);
    CheckpointPolicy &policy = experiment.checkpoint;
    if (auto frequency = reader.integer("frequency", 0)) policy.frequency = *frequency;
    if (auto at_end = reader.boolean("at_end")) policy.at_end = *at_end;
    if (auto num_to_keep = reader.integer("num_to_keep", 0)) policy.num_to_keep = *num_to_keep;
    policy.score_attribute = reader.non_empty_string("score_attribute").value_or(experiment.metric);
    auto order = reader.one_of("score_order", kModes);
    policy.score_order = order ? mode_named(*order) : experiment.mode;
}

// Where an issue about a section's plugin goes: its plugin key, else the section, else the
// file's start. Issues about its options go to the options table when there is one.
toml::source_region plugin_location(const Section &section) {
    if (section.table)
        if (const toml::node *plugin = section.table->get("plugin")) return plugin->source();
    return section.where;
}

toml::source_region options_location(const Section &section) {
    if (section.table)
        if (const toml::node *options = section.table->get("options")) return options->source();
    return plugin_location(section);
}

// The full id of name among the plugins of kind, or nullopt after reporting why not.
std::optional<std::string> resolve_plugin(const PluginRegistry &registry, const std::string &name,
                                          tune_plugin_kind_t kind, const Section &section,
                                          const std::string &section_name, IssueLog &log) {
    try {
        return registry.resolve(name, kind).id;
    } catch (const PluginError &error) {
        log.add(plugin_location(section), section_name + ".plugin", error.what());
        return std::nullopt;
    }
}

// Creates the plugin and runs its setup with settings, reporting a refusal at its options.
template <class Adapter>
void check_plugin_setup(const PluginRegistry &registry, const std::string &id, tune_plugin_kind_t kind,
                        const nlohmann::json &settings, const Section &section, const std::string &section_name,
                        IssueLog &log) {
    try {
        Adapter adapter(registry.create(id, host_services(), kind));
        adapter.setup(settings.dump());
    } catch (const PluginError &error) {
        log.add(options_location(section), section_name + ".options", error.what());
    }
}

} // namespace

Experiment load_experiment(const fs::path &file, const std::vector<std::string> &overrides,
                           const PluginRegistry *registry) {
    return load_experiment_with_registry_source(file, overrides, [registry] { return registry; });
}

Experiment load_experiment_with_registry_source(const fs::path &file, const std::vector<std::string> &overrides,
                                                const RegistrySource &registry_source) {
    toml::table document = read_document(file);
    IssueLog log(file.string());
    apply_overrides(document, overrides, log);
    check_top_level(document, log);

    Experiment experiment;
    experiment.source_file = file;

    // Plugin setup only runs on settings read without a problem, so that a plugin does not
    // repeat (less precisely) an issue already reported.
    std::size_t issues_before = log.size();
    read_experiment(find_section(document, "experiment", log), experiment, log);
    const bool experiment_ok = log.size() == issues_before;

    Section trainable = find_section(document, "trainable", log);
    read_trainable(trainable, experiment, log);

    issues_before = log.size();
    Section space = find_section(document, "search_space", log);
    if (space.table) experiment.search_space = check_search_space(*space.table, "search_space", log);
    const bool space_ok = log.size() == issues_before;

    issues_before = log.size();
    Section searcher = find_section(document, "searcher", log);
    read_searcher(searcher, experiment, log);
    const bool searcher_ok = log.size() == issues_before;

    issues_before = log.size();
    Section scheduler = find_section(document, "scheduler", log);
    read_scheduler(scheduler, experiment.scheduler, log);
    const bool scheduler_ok = log.size() == issues_before;

    read_stop(find_section(document, "stop", log), experiment.stop, log);
    read_checkpoint(find_section(document, "checkpoint", log), experiment, log);

    if (const PluginRegistry *registry = registry_source ? registry_source() : nullptr) {
        if (!experiment.trainable_plugin.empty())
            if (auto id = resolve_plugin(*registry, experiment.trainable_plugin, TUNE_KIND_TRAINABLE, trainable,
                                         "trainable", log))
                experiment.trainable_plugin = *id;
        if (auto id = resolve_plugin(*registry, experiment.searcher.plugin, TUNE_KIND_SEARCHER, searcher, "searcher",
                                     log)) {
            experiment.searcher.plugin = *id;
            if (experiment_ok && space_ok && searcher_ok)
                check_plugin_setup<SearcherAdapter>(*registry, *id, TUNE_KIND_SEARCHER, searcher_settings(experiment),
                                                    searcher, "searcher", log);
        }
        if (auto id = resolve_plugin(*registry, experiment.scheduler.plugin, TUNE_KIND_SCHEDULER, scheduler,
                                     "scheduler", log)) {
            experiment.scheduler.plugin = *id;
            if (experiment_ok && scheduler_ok)
                check_plugin_setup<SchedulerAdapter>(*registry, *id, TUNE_KIND_SCHEDULER,
                                                     scheduler_settings(experiment), scheduler, "scheduler", log);
        }
    }

    if (!log.empty()) throw ConfigError(log.sorted());
    return experiment;
}

} // namespace tune::core
