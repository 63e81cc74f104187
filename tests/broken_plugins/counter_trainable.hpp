// A small, correct trainable (loss = offset + 1/t) that the broken trainables below derive
// from, each breaking one promise, so that each fails exactly one conformance check.
#pragma once

#include <filesystem>
#include <fstream>

#include "tune/plugin.hpp"

class CounterTrainable : public tune::Trainable {
public:
    void setup(const tune::Json &config, const tune::TrialContext &) override {
        offset_ = tune::get_or<double>(config, "offset", 0.0);
        t_ = 0;
    }
    tune::Json step() override { return {{"loss", offset_ + 1.0 / static_cast<double>(++t_)}}; }
    void save(const std::string &dir) override {
        std::ofstream(std::filesystem::path(dir) / "state.json") << tune::Json{{"t", t_}, {"offset", offset_}};
    }
    void restore(const std::string &dir) override {
        std::ifstream in(std::filesystem::path(dir) / "state.json");
        tune::Json state = tune::Json::parse(in, nullptr, false);
        if (!state.is_object()) throw tune::IoError("no state.json in " + dir);
        t_ = tune::require<long long>(state, "t");
        offset_ = tune::require<double>(state, "offset");
    }

protected:
    double offset_ = 0;
    long long t_ = 0;
};
