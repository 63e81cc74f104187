#include "core/cli/resume_command.hpp"

#include <iostream>
#include <memory>

#include "core/cli/cluster_launch.hpp"
#include "core/cli/exit_codes.hpp"
#include "core/config/experiment_json.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/state/experiment_folder.hpp"
#include "core/state/plugin_record.hpp"
#include "core/state/state_store.hpp"

namespace tune::cli {

namespace {

struct ResumeOptions {
    std::string dir;
    ProgressFlags progress;
    ClusterFlags cluster;
};

// The search path's registry, with the library file recorded in dir/plugins.json added for
// each plugin of the experiment that the search path lacks.
core::PluginRegistry registry_for_resume(const CliContext &context, const std::filesystem::path &dir) {
    core::PluginRegistry registry = context.registry();
    std::vector<core::RecordedPlugin> recorded;
    try {
        recorded = core::read_plugin_record(dir);
    } catch (const std::exception &e) {
        std::cerr << "tune: warning: " << e.what() << "; plugins come from the search path alone\n";
        return registry;
    }
    CliContext with_recorded = context;
    for (const auto &plugin : recorded) {
        try {
            registry.resolve(plugin.id);
            continue; // on the search path: that library is used
        } catch (const core::PluginError &) {
        }
        std::error_code ec;
        if (!std::filesystem::is_regular_file(plugin.file, ec)) {
            std::cerr << "tune: warning: the experiment's " << plugin.role << " " << plugin.id << " came from "
                      << plugin.file.string() << ", which no longer exists; give its library with --plugin-path\n";
            continue;
        }
        std::cerr << "tune: " << plugin.id << " is not on the plugin search path: using " << plugin.file.string()
                  << ", which the experiment ran with (" << (dir / core::kPluginRecordFileName).string() << ")\n";
        with_recorded.plugin_paths.push_back(plugin.file.string());
    }
    if (with_recorded.plugin_paths.size() == context.plugin_paths.size()) return registry;
    return with_recorded.load_registry();
}

} // namespace

int resume_experiment(const CliContext &context, const std::filesystem::path &dir, const ProgressFlags &flags,
                      const core::Experiment *file_experiment, core::ExecutionBackend *backend) {
    core::StateStore store(dir);
    if (core::ExperimentFolder::stopped_before_first_save(dir)) {
        std::cerr << "tune: error: " << dir.string() << " holds an experiment (experiment.json) but no saved state ("
                  << core::StateStore::kFileName << "): it was stopped before its first state save, so no trial "
                  << "had run. `tune run FILE --resume` with its experiment file starts it afresh\n";
        return kExitUsage;
    }
    if (!store.exists()) {
        std::cerr << "tune: error: " << dir.string() << " holds no saved experiment state ("
                  << core::StateStore::kFileName << "); resume takes an experiment folder written by `tune run`\n";
        return kExitUsage;
    }
    core::StateStore::Loaded loaded;
    core::Experiment experiment;
    try {
        // A copy whose definition does not parse is corrupt like any other: the previous one is used.
        loaded = store.load([](const core::ExperimentState &state) {
            core::experiment_from_json(nlohmann::json::parse(state.experiment_json));
        });
        experiment = core::experiment_from_json(nlohmann::json::parse(loaded.state.experiment_json));
    } catch (const std::exception &e) {
        std::cerr << "tune: error: cannot resume " << dir.string() << ": " << e.what() << "\n";
        return kExitUsage;
    }
    for (const auto &warning : loaded.warnings) std::cerr << "tune: warning: " << warning << "\n";
    if (file_experiment) {
        auto saved = core::experiment_to_json(experiment), given = core::experiment_to_json(*file_experiment);
        saved.erase("source_file");
        given.erase("source_file");
        for (const auto &item : given.items())
            if (saved.value(item.key(), nlohmann::json()) != item.value())
                std::cerr << "tune: warning: '" << item.key() << "' differs from the experiment saved in "
                          << dir.string() << "; resuming with the saved one\n";
    }
    core::EngineOptions options;
    options.resume_state = std::move(loaded.state);
    options.experiment_dir = dir;
    options.backend = backend;
    const core::PluginRegistry registry = registry_for_resume(context, dir);
    return run_experiment(registry, experiment, flags, std::move(options));
}

void add_resume_command(CLI::App &app, const CliContext &context, int *exit_code) {
    auto options = std::make_shared<ResumeOptions>();
    auto *cmd = app.add_subcommand(
        "resume", "Continue an experiment that was interrupted or whose host died, from its saved state");
    cmd->add_option("dir", options->dir, "The experiment folder (<results_dir>/<name>)")->required();
    add_progress_flags(*cmd, options->progress);
    add_cluster_flags(*cmd, options->cluster);
    cmd->callback([&context, options, exit_code] {
        *exit_code = with_cluster(options->cluster, [&](core::ExecutionBackend *backend) {
            return resume_experiment(context, options->dir, options->progress, nullptr, backend);
        });
    });
}

} // namespace tune::cli
