// Helpers for the experiment-file tests: writing TOML files, loading them and finding issues.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "core/config/experiment_loader.hpp"
#include "support/test_paths.hpp"

namespace tune::test {

// Writes text to dir/name and returns its path.
inline std::filesystem::path write_file(const TempDir &dir, const std::string &name, const std::string &text) {
    std::filesystem::path file = dir.path() / name;
    std::ofstream(file) << text;
    return file;
}

// The registry of the build's shipped plugins, scanned once.
inline const core::PluginRegistry &shipped_registry() {
    static const core::PluginRegistry registry = [] {
        std::vector<std::string> warnings;
        return core::PluginRegistry::scan({plugin_dir()}, warnings);
    }();
    return registry;
}

// The issues loading file reports; fails the test if it loads.
inline std::vector<core::ConfigIssue> load_issues(const std::filesystem::path &file,
                                                  const std::vector<std::string> &overrides = {},
                                                  const core::PluginRegistry *registry = nullptr) {
    try {
        core::load_experiment(file, overrides, registry);
    } catch (const core::ConfigError &error) {
        return error.issues();
    }
    FAIL("expected " << file.string() << " to be rejected");
    return {};
}

// Checks that exactly one issue has key_path, and that it is at file:line:column with a message
// containing phrase.
inline void check_issue(const std::vector<core::ConfigIssue> &issues, const std::string &file, int line, int column,
                        const std::string &key_path, const std::string &phrase) {
    std::string all;
    for (const auto &issue : issues) all += issue.to_string() + "\n";
    INFO("issues:\n" << all);
    auto count = std::count_if(issues.begin(), issues.end(),
                               [&](const core::ConfigIssue &issue) { return issue.key_path == key_path; });
    REQUIRE(count == 1);
    const auto &issue = *std::find_if(issues.begin(), issues.end(),
                                      [&](const core::ConfigIssue &issue) { return issue.key_path == key_path; });
    CHECK(issue.file == file);
    CHECK(issue.line == line);
    CHECK(issue.column == column);
    CHECK_THAT(issue.message, Catch::Matchers::Contains(phrase));
}

// The smallest valid file, to which a test appends the sections it is about (lines 1-5).
inline const std::string kMinimalExperiment = "[experiment]\n"
                                              "name = \"t\"\n"
                                              "metric = \"loss\"\n"
                                              "[trainable]\n"
                                              "plugin = \"curve\"\n";

} // namespace tune::test
