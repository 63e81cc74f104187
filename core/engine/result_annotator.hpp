// Turns a trainable's result into the result the experiment records: the trainable's JSON
// object plus the host's fields (training_iteration, time_total_s, timestamps, ...), as Ray
// Tune adds them. This runs once per result, so a flat result (plain fields, the common case)
// is never parsed into a document: the trainable's text is kept and the host's fields are
// appended to it.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/report/result_line.hpp"

namespace tune::core {

// What the host adds to every result.
struct HostFields {
    long long training_iteration = 0;
    double time_this_iter_s = 0.0;
    double time_total_s = 0.0;
    long long iterations_since_restore = 0;
    double timestamp = 0.0; // Unix seconds
    std::string trial_id;
    // Where the trial ran, as Ray's hostname and pid: the node's name, the MPI rank that runs
    // it (0 on one machine) and the worker process.
    std::string_view node; // the allocation's node_name, which outlives the annotation of a result
    int rank = 0;
    long long pid = 0;
};

// A result that is not a JSON object: the trial fails with this message.
class InvalidResult : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Two steps, because whether the result ends the trial ("done") depends on the annotated
// result itself (stop criteria read training_iteration and the metrics).
class ResultAnnotator {
public:
    // Reads the trainable's text; the host's fields win where the trainable set one of them
    // itself. Throws InvalidResult naming what is wrong.
    ResultAnnotator(std::string trainable_text, const HostFields &fields);

    // The annotated result's values, before finish.
    bool contains(std::string_view key) const;
    std::optional<double> number(std::string_view key) const;
    bool trainable_done() const; // the trainable set "done": true

    // Sets "done" and gives up the result.
    ResultLine finish(bool done);

private:
    std::string text_;
    HostFields host_;
    std::vector<FlatField> fields_;       // of a flat result
    std::optional<nlohmann::json> value_; // of any other
};

} // namespace tune::core
