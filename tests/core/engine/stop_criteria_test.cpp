#include <catch2/catch.hpp>

#include "core/engine/stop_criteria.hpp"

using namespace tune::core;

namespace {

// The stop reason for a trainable's result text at training_iteration 3 after 5 s.
std::string reason(const StopCriteria &stop, const std::string &text, long long iteration = 3, double total_s = 5.0) {
    return stop_reason(stop, ResultAnnotator(text, {iteration, 1.0, total_s, iteration, 1.8e9, "00000", "localhost", 0, 1}));
}

} // namespace

TEST_CASE("stop criteria: iteration, training time and metric thresholds, with the reason", "[stop]") {
    StopCriteria stop;
    stop.training_iteration = 10;
    stop.time_total_s = 60.0;
    stop.metrics["accuracy"] = {MetricThreshold::Direction::AtLeast, 0.95};
    stop.metrics["loss"] = {MetricThreshold::Direction::AtMost, 0.01};
    const std::string running = R"({"accuracy": 0.5, "loss": 0.4})";
    CHECK(reason(stop, running).empty());
    CHECK(reason(stop, running, 10) == "training_iteration 10 >= 10");
    CHECK(reason(stop, running, 3, 61.5) == "time_total_s 61.5 >= 60");
    CHECK(reason(stop, R"({"accuracy": 0.96, "loss": 0.4})") == "accuracy 0.96 >= 0.95");
    CHECK(reason(stop, R"({"accuracy": 0.5, "loss": 0.005})") == "loss 0.005 <= 0.01");
    // Nested results take the general path, with the same answers.
    CHECK(reason(stop, R"({"accuracy": 0.96, "extra": {"a": 1}})") == "accuracy 0.96 >= 0.95");
}

TEST_CASE("stop criteria: the trainable's done, and values that are not what they should be", "[stop]") {
    StopCriteria none;
    CHECK(reason(none, R"({"done": true})") == "the trainable reported done");
    CHECK(reason(none, R"({"done": false})").empty());
    CHECK(reason(none, R"({"done": "yes"})").empty()); // only the boolean true ends a trial
    StopCriteria metric;
    metric.metrics["loss"] = {MetricThreshold::Direction::AtMost, 0.1};
    CHECK(reason(metric, R"({"loss": "0.0"})").empty()); // not a number: not judged
    CHECK(reason(metric, "{}").empty());
    StopCriteria on_host_field; // a host field may be a metric too
    on_host_field.metrics["time_this_iter_s"] = {MetricThreshold::Direction::AtLeast, 1.0};
    CHECK(reason(on_host_field, "{}") == "time_this_iter_s 1 >= 1");
}
