#include "core/conformance/junit_report.hpp"

#include <algorithm>
#include <fstream>

#include <fmt/format.h>

namespace tune::conformance {

namespace {

// XML 1.0 text: the five entities escaped, other control characters (not allowed) dropped.
std::string escape(const std::string &text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default:
            if (static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t' && c != '\r') break;
            out += c;
        }
    }
    return out;
}

} // namespace

std::string junit_xml(const std::filesystem::path &library, const std::vector<CheckResult> &results) {
    const auto failures = std::count_if(results.begin(), results.end(), [](const CheckResult &r) { return !r.passed; });
    double total = 0;
    for (const auto &r : results) total += r.seconds;
    std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    xml += fmt::format("<testsuites name=\"tune check-plugin\" tests=\"{}\" failures=\"{}\" errors=\"0\" time=\"{:.3f}\">\n",
                       results.size(), failures, total);
    xml += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\" time=\"{:.3f}\">\n",
                       escape(library.string()), results.size(), failures, total);
    for (const auto &r : results) {
        const std::string classname = r.plugin_id.empty() ? library.filename().string() : r.plugin_id;
        xml += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3f}\"", escape(classname),
                           escape(r.check), r.seconds);
        if (r.passed) {
            xml += fmt::format(">\n      <system-out>{}</system-out>\n    </testcase>\n", escape(r.message));
            continue;
        }
        xml += fmt::format(">\n      <failure message=\"{}\" type=\"conformance\">{}</failure>\n", escape(r.message),
                           escape(r.message + (r.output.empty() ? "" : "\n\nplugin output:\n" + r.output)));
        xml += "    </testcase>\n";
    }
    xml += "  </testsuite>\n</testsuites>\n";
    return xml;
}

void write_junit(const std::filesystem::path &file, const std::filesystem::path &library,
                 const std::vector<CheckResult> &results) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error(fmt::format("cannot write the JUnit report {}", file.string()));
    out << junit_xml(library, results);
    if (!out.flush()) throw std::runtime_error(fmt::format("cannot write the JUnit report {}", file.string()));
}

} // namespace tune::conformance
