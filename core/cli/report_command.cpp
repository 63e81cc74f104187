#include "core/cli/report_command.hpp"

#include <chrono>
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "core/cli/exit_codes.hpp"
#include "core/report/html_report.hpp"

namespace tune::cli {

namespace {

struct ReportCommandOptions {
    std::string dir;
    std::string output;
    core::ReportLimits limits;
};

int write_report(const ReportCommandOptions &options) {
    core::HtmlReportOptions report;
    report.output = options.output;
    report.limits = options.limits;
    const auto started = std::chrono::steady_clock::now();
    core::HtmlReportFile file;
    try {
        file = core::write_html_report(options.dir, report);
    } catch (const core::ReportWriteError &e) {
        std::cerr << "tune: error: " << e.what() << "\n";
        return kExitFailure;
    } catch (const std::exception &e) { // DIR is no experiment folder
        std::cerr << "tune: error: " << e.what() << "\n";
        return kExitUsage;
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    for (const auto &problem : file.problems) std::cerr << "tune: warning: " << problem << "\n";
    std::cout << fmt::format("Report: {} ({} trials, {} results, {:.1f} MB, {:.2f} s)\n", file.path.string(),
                             file.trials, file.results, static_cast<double>(file.bytes) / 1e6, seconds);
    return kExitSuccess;
}

} // namespace

void add_report_command(CLI::App &app, const CliContext &, int *exit_code) {
    auto options = std::make_shared<ReportCommandOptions>();
    auto *cmd = app.add_subcommand("report", "Write an experiment's charts to <dir>/report.html (one self-contained page)");
    cmd->add_option("dir", options->dir, "The experiment folder (<results_dir>/<name>), finished or running")->required();
    cmd->add_option("-o,--output", options->output, "Where to write the page (default: <dir>/report.html)")
        ->type_name("FILE");
    cmd->add_option("--max-curves", options->limits.max_curves,
                    "Most learning curves drawn; beyond, the best half and an even spread of the rest")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_option("--curve-points", options->limits.curve_point_budget,
                    "Most points over all drawn curves; longer curves are downsampled")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->callback([options, exit_code] { *exit_code = write_report(*options); });
}

} // namespace tune::cli
