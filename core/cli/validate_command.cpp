#include "core/cli/validate_command.hpp"

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/cli/exit_codes.hpp"
#include "core/config/experiment_loader.hpp"
#include "tune/space/search_space.hpp"

namespace tune::cli {

namespace {

struct ValidateOptions {
    std::string file;
    std::vector<std::string> overrides;
};

// "20 trials: trainable ..., searcher ..., scheduler ..., num_samples 10 x 2 grid points". Like
// Ray Tune, every grid point is run num_samples times; the grid searcher's grid spans every
// choice as well (docs/search-space.md).
std::string summary(const core::Experiment &experiment) {
    const auto axes = experiment.searcher.plugin == "org.tune.searcher.grid" ? space::GridAxes::grid_search_and_choice
                                                                              : space::GridAxes::grid_search;
    const std::size_t grid_points = space::SearchSpace::parse(experiment.search_space).grid_size(axes);
    const auto trials = static_cast<unsigned long long>(experiment.num_samples) * grid_points;
    std::string samples = fmt::format("num_samples {}", experiment.num_samples);
    if (grid_points > 1) samples += fmt::format(" x {} grid points", grid_points);
    return fmt::format("{} trial{}: trainable {}, searcher {}, scheduler {}, {}", trials, trials == 1 ? "" : "s",
                       experiment.trainable_plugin, experiment.searcher.plugin, experiment.scheduler.plugin,
                       samples);
}

int run_validate(const CliContext &context, const ValidateOptions &options) {
    try {
        // The registry is scanned only once the file has parsed: a syntax error loads nothing.
        auto experiment = core::load_experiment_with_registry_source(options.file, options.overrides,
                                                                     [&context] { return &context.registry(); });
        std::cout << options.file << ": OK (" << summary(experiment) << ")\n";
        return kExitSuccess;
    } catch (const core::ConfigError &e) {
        return report_config_error(options.file, e);
    }
}

} // namespace

int report_config_error(const std::string &file, const core::ConfigError &error) {
    for (const auto &issue : error.issues()) std::cerr << issue.to_string() << "\n";
    std::cerr << fmt::format("tune: error: {} is not a valid experiment ({} issue{})\n", file,
                             error.issues().size(), error.issues().size() == 1 ? "" : "s");
    return kExitUsage;
}

void add_validate_command(CLI::App &app, const CliContext &context, int *exit_code) {
    auto options = std::make_shared<ValidateOptions>();
    auto *cmd = app.add_subcommand("validate", "Check an experiment file and its plugins' options without running it");
    cmd->add_option("file", options->file, "The experiment file (TOML)")->required();
    cmd->add_option("--set", options->overrides, "Override a value: key.path=value (repeatable)")
        ->type_name("KEY=VALUE");
    cmd->callback([&context, options, exit_code] { *exit_code = run_validate(context, *options); });
}

} // namespace tune::cli
