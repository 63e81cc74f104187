// The HTML report's page parts, compiled into the host from core/report/assets/ and from
// Debian's libjs-chart.js (the charting library, inlined so the page needs no network).
// Defined in a source file CMake generates (core/report/embed_assets.cmake).
#pragma once

#include <string_view>

namespace tune::core::report_assets {

std::string_view page_template(); // report_template.html, with the markers html_report.cpp fills
std::string_view style_sheet();   // report.css
std::string_view page_script();   // report.js
std::string_view chart_js();      // Chart.js, minified, with its licence header

} // namespace tune::core::report_assets
