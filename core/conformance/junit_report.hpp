// Writes conformance results as a JUnit XML report, the format CI systems read.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/conformance/check_result.hpp"

namespace tune::conformance {

// One <testsuite> named after the library; one <testcase> per check, its classname the plugin
// id (or the library's file name for the library checks), with a <failure> when it failed.
std::string junit_xml(const std::filesystem::path &library, const std::vector<CheckResult> &results);

// Writes junit_xml to file. Throws std::runtime_error naming the file if it cannot.
void write_junit(const std::filesystem::path &file, const std::filesystem::path &library,
                 const std::vector<CheckResult> &results);

} // namespace tune::conformance
