// Helpers for the fault-tolerance tests: experiment files, summaries and trial logs.
#pragma once

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support/file_contents.hpp"
#include "support/test_paths.hpp"

namespace tune::test {

// Writes dir/experiment.toml with body, results going to dir, and returns its path.
inline std::string write_experiment(const TempDir &dir, const std::string &body) {
    const auto file = dir.path() / "experiment.toml";
    std::ofstream(file) << body;
    return file.string();
}

// training_iteration of every line of a trial's result.jsonl, in order.
inline std::vector<long long> logged_iterations(const std::filesystem::path &trial_dir) {
    std::vector<long long> iterations;
    std::ifstream in(trial_dir / "result.jsonl");
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) iterations.push_back(nlohmann::json::parse(line).at("training_iteration").get<long long>());
    return iterations;
}

inline std::vector<long long> one_to(long long n) {
    std::vector<long long> all;
    for (long long i = 1; i <= n; ++i) all.push_back(i);
    return all;
}

// Waits (up to 20 s) for path to exist; returns whether it does.
inline bool wait_for_file(const std::filesystem::path &path) {
    for (int i = 0; i < 2000 && !std::filesystem::exists(path); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return std::filesystem::exists(path);
}

} // namespace tune::test
