// Runs `tune check-plugin` and reads its PASS/FAIL lines.
#pragma once

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "support/test_paths.hpp"

namespace tune::test {

struct CheckRun {
    CommandResult command;
    std::map<std::string, std::string> passed; // check name -> its line
    std::map<std::string, std::string> failed; // check name -> its line and the plugin output under it
    std::set<std::string> failed_names() const {
        std::set<std::string> names;
        for (const auto &[name, line] : failed) names.insert(name);
        return names;
    }
};

inline CheckRun check_plugin(const std::vector<std::string> &args) {
    std::vector<std::string> full = {"check-plugin"};
    full.insert(full.end(), args.begin(), args.end());
    CheckRun run;
    run.command = run_tune(full);
    std::istringstream lines(run.command.out);
    std::string last_failed;
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("     | ", 0) == 0 && !last_failed.empty()) {
            run.failed[last_failed] += "\n" + line;
            continue;
        }
        last_failed.clear();
        if (line.size() < 6 || (line.rfind("PASS ", 0) != 0 && line.rfind("FAIL ", 0) != 0)) continue;
        std::istringstream words(line.substr(5));
        std::string name;
        words >> name;
        if (line[0] == 'P') {
            run.passed[name] = line;
        } else {
            run.failed[name] = line;
            last_failed = name;
        }
    }
    return run;
}

inline std::string shipped(const std::string &file) { return (plugin_dir() / file).string(); }
inline std::string broken(const std::string &file) { return (broken_plugin_dir() / file).string(); }

// Every check name check-plugin runs on one plugin of each kind, library checks included.
inline const std::vector<std::string> &common_checks() {
    static const std::vector<std::string> names = {"load", "abi_version", "descriptors", "create_destroy",
                                                   "invalid_config", "calls_after_error"};
    return names;
}

// The checks check-plugin runs on a plugin of each kind, beyond common_checks().
inline const std::vector<std::string> &trainable_checks() {
    static const std::vector<std::string> names = {"trainable.step_results", "trainable.determinism",
                                                   "trainable.save_restore", "trainable.reset"};
    return names;
}
inline const std::vector<std::string> &searcher_checks() {
    static const std::vector<std::string> names = {"searcher.suggestions_in_space", "searcher.reproducible",
                                                   "searcher.finished_not_ready", "searcher.save_restore"};
    return names;
}
inline const std::vector<std::string> &scheduler_checks() {
    static const std::vector<std::string> names = {"scheduler.decisions", "scheduler.save_restore"};
    return names;
}

// The run passed every common check and every one of kind_checks, failed none, and exited 0.
inline void expect_all_pass(const CheckRun &run, const std::vector<std::string> &kind_checks) {
    INFO(run.command.out << run.command.err);
    CHECK(run.failed.empty());
    for (const auto &name : common_checks()) CHECK(run.passed.count(name) == 1);
    for (const auto &name : kind_checks) CHECK(run.passed.count(name) == 1);
    CHECK(run.command.exit_code == 0);
}

} // namespace tune::test
