// `tune report DIR`: DIR/report.html, one self-contained page of charts of an experiment
// (learning curves with rung cutoffs, best so far, parameters, timeline, trial table, PBT
// lineage) that opens with no server and no network: the data and Chart.js are inlined.
#pragma once

#include <cstddef>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/report/report_data.hpp"

namespace tune::core {

struct HtmlReportOptions {
    std::filesystem::path output; // default: <experiment_dir>/report.html
    ReportLimits limits;
};

struct HtmlReportFile {
    std::filesystem::path path;
    std::size_t bytes = 0;
    std::size_t trials = 0;
    std::size_t results = 0;
    std::vector<std::string> problems; // lines skipped, each naming its file and line
};

// The page could not be written (the folder could be read).
class ReportWriteError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Reads the experiment folder and writes the report atomically (a temporary file, then a
// rename), so a browser reloading it during a run never sees half a page. Throws
// std::runtime_error naming the file when the folder cannot be read, ReportWriteError when
// the page cannot be written.
HtmlReportFile write_html_report(const std::filesystem::path &experiment_dir, const HtmlReportOptions &options = {});

// The page for data (build_report_data's document).
std::string render_html_report(const nlohmann::json &data);

} // namespace tune::core
