// org.example.median_stopping: see median_stopping_scheduler.cpp.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "tune/plugin.hpp"

namespace example {

class MedianStoppingScheduler final : public tune::Scheduler {
public:
    static constexpr const char *id = "org.example.median_stopping";
    static constexpr const char *version = "1.0.0";
    static constexpr const char *description = "Stops a trial worse than the median at its iteration (grace_period)";

    void setup(const tune::SchedulerSettings &settings) override;
    tune::Decision on_trial_result(const std::string &trial_id, const tune::Json &result) override;
    tune::Json describe_state() override;
    std::string save() override;
    void restore(const std::string &state) override;

private:
    std::string metric_;
    bool maximize_ = false;
    long long grace_period_ = 2;
    std::map<long long, std::vector<double>> seen_; // iteration -> metric values reported there
};

} // namespace example
