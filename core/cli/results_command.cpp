#include "core/cli/results_command.hpp"

#include <iostream>
#include <memory>

#include "core/cli/exit_codes.hpp"
#include "core/report/experiment_summary.hpp"

namespace tune::cli {

namespace {

struct ResultsOptions {
    std::string dir;
    bool json = false;
};

int show(const ResultsOptions &options) {
    core::ExperimentSummary summary;
    try {
        summary = core::read_summary(options.dir);
    } catch (const std::runtime_error &e) {
        std::cerr << "tune: error: " << e.what() << "\n";
        return kExitUsage;
    }
    if (options.json)
        std::cout << summary.to_json().dump(2) << "\n";
    else
        std::cout << core::render_summary(summary);
    return kExitSuccess;
}

} // namespace

void add_results_command(CLI::App &app, const CliContext &, int *exit_code) {
    auto options = std::make_shared<ResultsOptions>();
    auto *cmd = app.add_subcommand("results", "Print an experiment's trial table and best trial");
    cmd->add_option("dir", options->dir, "The experiment folder (<results_dir>/<name>)")->required();
    cmd->add_flag("--json", options->json, "Print summary.json instead of the table");
    cmd->callback([options, exit_code] { *exit_code = show(*options); });
}

} // namespace tune::cli
