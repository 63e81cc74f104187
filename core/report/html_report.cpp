#include "core/report/html_report.hpp"

#include <fstream>
#include <stdexcept>

#include <fmt/format.h>

#include "core/report/experiment_summary.hpp" // utc_now_iso8601
#include "core/report/report_assets.hpp"

namespace tune::core {
namespace fs = std::filesystem;

namespace {

// JSON inside <script type="application/json">: a '<' can only be in a string there, and as
// \u003c it can never close the script element.
std::string script_safe_json(const nlohmann::json &data) {
    const std::string text = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '<') out += "\\u003c";
        else out += c;
    }
    return out;
}

void replace_marker(std::string &page, const std::string &marker, const std::string &content) {
    const auto at = page.find(marker);
    if (at == std::string::npos) throw std::logic_error("report template has no " + marker);
    page.replace(at, marker.size(), content);
}

} // namespace

std::string render_html_report(const nlohmann::json &data) {
    std::string page(report_assets::page_template());
    // The largest parts go in last, so that no marker is searched for inside them. The page's
    // script sets its title from the data: nothing here needs HTML escaping.
    replace_marker(page, "/*{{STYLE}}*/", std::string(report_assets::style_sheet()));
    replace_marker(page, "/*{{REPORT_JS}}*/", std::string(report_assets::page_script()));
    replace_marker(page, "/*{{CHART_JS}}*/", std::string(report_assets::chart_js()));
    replace_marker(page, "{{DATA}}", script_safe_json(data));
    return page;
}

HtmlReportFile write_html_report(const fs::path &experiment_dir, const HtmlReportOptions &options) {
    const ResultsFolder folder = read_results_folder(experiment_dir);
    const std::string page = render_html_report(build_report_data(folder, options.limits, utc_now_iso8601()));
    HtmlReportFile file;
    file.path = options.output.empty() ? experiment_dir / "report.html" : options.output;
    file.bytes = page.size();
    file.trials = folder.trials.size();
    file.results = folder.result_count;
    file.problems = folder.problems;
    fs::path temporary = file.path;
    temporary += ".tmp";
    {
        std::ofstream out(temporary, std::ios::binary);
        out.write(page.data(), static_cast<std::streamsize>(page.size()));
        if (!out.flush()) throw ReportWriteError("cannot write " + temporary.string());
    }
    std::error_code ec;
    fs::rename(temporary, file.path, ec);
    if (ec) throw ReportWriteError("cannot replace " + file.path.string() + ": " + ec.message());
    return file;
}

} // namespace tune::core
