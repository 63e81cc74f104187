#include <catch2/catch.hpp>

#include "core/engine/stop_criteria.hpp"

using namespace tune::core;
using nlohmann::json;

TEST_CASE("stop criteria: iteration, training time and metric thresholds, with the reason", "[stop]") {
    StopCriteria stop;
    stop.training_iteration = 10;
    stop.time_total_s = 60.0;
    stop.metrics["accuracy"] = {MetricThreshold::Direction::AtLeast, 0.95};
    stop.metrics["loss"] = {MetricThreshold::Direction::AtMost, 0.01};
    const json running{{"training_iteration", 3}, {"time_total_s", 5.0}, {"accuracy", 0.5}, {"loss", 0.4}};
    CHECK(stop_reason(stop, running).empty());

    json result = running;
    result["training_iteration"] = 10;
    CHECK(stop_reason(stop, result) == "training_iteration 10 >= 10");
    result = running;
    result["time_total_s"] = 61.5;
    CHECK(stop_reason(stop, result) == "time_total_s 61.5 >= 60");
    result = running;
    result["accuracy"] = 0.96;
    CHECK(stop_reason(stop, result) == "accuracy 0.96 >= 0.95");
    result = running;
    result["loss"] = 0.005;
    CHECK(stop_reason(stop, result) == "loss 0.005 <= 0.01");
}

TEST_CASE("stop criteria: the trainable's done, and values that are not what they should be", "[stop]") {
    StopCriteria none;
    CHECK(stop_reason(none, {{"done", true}}) == "the trainable reported done");
    CHECK(stop_reason(none, {{"done", false}}).empty());
    CHECK(stop_reason(none, {{"done", "yes"}}).empty()); // only the boolean true ends a trial
    StopCriteria metric;
    metric.metrics["loss"] = {MetricThreshold::Direction::AtMost, 0.1};
    CHECK(stop_reason(metric, {{"loss", "0.0"}}).empty()); // not a number: not judged
    CHECK(stop_reason(metric, json::object()).empty());
}
