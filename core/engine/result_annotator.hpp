// Turns a trainable's result into the result the experiment records: the trainable's JSON
// object plus the host's fields (training_iteration, time_total_s, timestamps, ...), as Ray
// Tune adds them. This runs once per result, so it keeps the trainable's own text and appends
// the host's fields to it instead of serialising the whole object again.
#pragma once

#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace tune::core {

// What the host adds to every result.
struct HostFields {
    long long training_iteration = 0;
    double time_this_iter_s = 0.0;
    double time_total_s = 0.0;
    long long iterations_since_restore = 0;
    double timestamp = 0.0; // Unix seconds
    std::string trial_id;
};

// A result that is not a JSON object: the trial fails with this message.
class InvalidResult : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct AnnotatedResult {
    nlohmann::json value; // the result with the host's fields and "done"
    std::string text;     // value as one line of JSON text
};

// Two steps, because whether the result ends the trial ("done") depends on the annotated
// result itself (stop criteria read training_iteration and the metrics).
class ResultAnnotator {
public:
    // Parses the trainable's text and adds the host's fields; the host's value wins where the
    // trainable set one of them itself. Throws InvalidResult naming what is wrong.
    ResultAnnotator(std::string trainable_text, const HostFields &fields);

    const nlohmann::json &result() const { return result_; }

    // Sets "done" and gives up the result and its text.
    AnnotatedResult finish(bool done);

private:
    std::string text_;
    nlohmann::json result_;
    nlohmann::json fields_;
    bool rewrite_ = false; // the trainable set a host field or "done": serialise the whole result
};

} // namespace tune::core
