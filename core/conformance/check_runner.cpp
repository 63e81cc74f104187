#include "core/conformance/check_runner.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>

#include <fmt/format.h>

#include "core/conformance/check_catalog.hpp"
#include "core/conformance/isolated_run.hpp"
#include "core/plugin/plugin_error.hpp"

namespace tune::conformance {

namespace fs = std::filesystem;

namespace {

// A fresh scratch folder for one check, removed when it goes out of scope.
class Scratch {
public:
    Scratch() {
        std::string pattern = (fs::temp_directory_path() / "tune-check-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) throw std::runtime_error("cannot create a temporary folder in " + pattern);
        path_ = pattern;
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    Scratch(const Scratch &) = delete;
    Scratch &operator=(const Scratch &) = delete;
    const fs::path &path() const { return path_; }

private:
    fs::path path_;
};

CheckResult run_one(const CheckDefinition &check, CheckSubject subject, nlohmann::json *data) {
    Scratch scratch;
    subject.scratch = scratch.path() / "work";
    fs::create_directories(subject.scratch);
    CheckResult result;
    result.plugin_id = subject.plugin_id;
    result.check = check.name;
    const auto start = std::chrono::steady_clock::now();
    IsolatedOutcome outcome = run_isolated(
        [&]() -> nlohmann::json {
            try {
                CheckNote note = check.body(subject);
                return {{"passed", true}, {"message", note.message}, {"data", note.data}};
            } catch (const CheckFailure &failure) {
                return {{"passed", false}, {"message", failure.message}};
            } catch (const core::PluginError &e) { // e.g. an adapter refusing an instance
                return {{"passed", false}, {"message", e.what()}};
            }
        },
        subject.options->timeout_s, scratch.path() / "output.log");
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!outcome.completed) {
        result.passed = false;
        result.message = outcome.failure;
        result.output = outcome.output;
        return result;
    }
    result.passed = outcome.report.value("passed", false);
    result.message = outcome.report.value("message", "");
    if (!result.passed) result.output = outcome.output;
    if (data && outcome.report.contains("data")) *data = outcome.report["data"];
    return result;
}

} // namespace

std::size_t RunSummary::failed() const {
    return static_cast<std::size_t>(std::count_if(results.begin(), results.end(),
                                                  [](const CheckResult &r) { return !r.passed; }));
}

RunSummary run_conformance(const fs::path &library, const std::optional<std::string> &only_id,
                           const CheckOptions &options, const std::function<void(const CheckResult &)> &on_result,
                           const std::function<void(const CheckSubject &, ConfigOrigin)> &on_plugin) {
    RunSummary summary;
    CheckSubject library_subject;
    library_subject.library = library;
    library_subject.options = &options;

    nlohmann::json plugins;
    for (const auto &check : library_checks()) {
        nlohmann::json data;
        CheckResult result = run_one(check, library_subject, &data);
        summary.results.push_back(result);
        on_result(result);
        if (!result.passed) return summary; // later checks need what this one establishes
        if (data.contains("plugins")) plugins = data["plugins"];
    }

    for (const auto &plugin : plugins) summary.known_ids.push_back(plugin.at("id").get<std::string>());
    if (only_id && std::find(summary.known_ids.begin(), summary.known_ids.end(), *only_id) == summary.known_ids.end()) {
        summary.unknown_id = *only_id;
        return summary;
    }
    for (const auto &plugin : plugins) {
        CheckSubject subject = library_subject;
        subject.plugin_id = plugin.at("id").get<std::string>();
        if (only_id && subject.plugin_id != *only_id) continue;
        subject.kind = plugin.at("kind").get<tune_plugin_kind_t>();
        ConfigOrigin origin = ConfigOrigin::kind_default;
        if (options.config) {
            subject.config = *options.config;
            origin = ConfigOrigin::option;
        } else if (plugin.contains("example_config")) {
            subject.config = plugin["example_config"];
            origin = ConfigOrigin::example;
        } else {
            subject.config = default_config(subject.kind);
        }
        if (on_plugin) on_plugin(subject, origin);
        for (const auto &check : plugin_checks(subject.kind)) {
            CheckResult result = run_one(check, subject, nullptr);
            summary.results.push_back(result);
            on_result(result);
        }
    }
    return summary;
}

} // namespace tune::conformance
