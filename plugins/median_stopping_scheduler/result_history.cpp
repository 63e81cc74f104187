#include "result_history.hpp"

#include "tune/sdk/json_numbers.hpp"
#include "numpy_stats.hpp"

namespace tune::median_stopping {

void ResultHistory::record(const std::string &trial_id, double time, double value) {
    samples_[trial_id].push_back({time, value});
}

std::size_t ResultHistory::result_count() const {
    std::size_t count = 0;
    for (const auto &[trial_id, samples] : samples_) count += samples.size();
    return count;
}

std::vector<std::string> ResultHistory::trials_beyond(double time, const std::string &except_id) const {
    std::vector<std::string> trials;
    for (const auto &[trial_id, samples] : samples_)
        if (trial_id != except_id && !samples.empty() && samples.back().time >= time) trials.push_back(trial_id);
    return trials;
}

double ResultHistory::running_mean(const std::string &trial_id, double grace_period, double time) const {
    std::vector<double> values;
    auto found = samples_.find(trial_id);
    if (found != samples_.end())
        for (const Sample &sample : found->second)
            if (grace_period <= sample.time && sample.time <= time) values.push_back(sample.value);
    return numpy_mean(values);
}

std::optional<double> ResultHistory::best(const std::string &trial_id, tune_mode_t mode) const {
    auto found = samples_.find(trial_id);
    if (found == samples_.end() || found->second.empty()) return std::nullopt;
    const std::vector<Sample> &samples = found->second;
    double best = samples.front().value;
    for (std::size_t i = 1; i < samples.size(); ++i) {
        const double value = samples[i].value;
        if (mode == TUNE_MODE_MAX ? value > best : value < best) best = value;
    }
    return best;
}

Json ResultHistory::save() const {
    Json state = Json::object();
    for (const auto &[trial_id, samples] : samples_) {
        Json list = Json::array();
        for (const Sample &sample : samples)
            list.push_back(Json::array({encode_double(sample.time), encode_double(sample.value)}));
        state[trial_id] = std::move(list);
    }
    return state;
}

ResultHistory ResultHistory::restore(const Json &state) {
    if (!state.is_object()) throw StateError("saved median_stopping state needs an object 'results'");
    ResultHistory history;
    for (const auto &item : state.items()) {
        const std::string where = "results of trial '" + item.key() + "'";
        if (!item.value().is_array() || item.value().empty())
            throw StateError("saved median_stopping state: " + where + " must be a non-empty array");
        std::vector<Sample> &samples = history.samples_[item.key()];
        for (const Json &entry : item.value()) {
            if (!entry.is_array() || entry.size() != 2)
                throw StateError("saved median_stopping state: " + where + " has a malformed entry " + entry.dump());
            samples.push_back({decode_double(entry[0], "saved median_stopping state: " + where + ": time"),
                               decode_double(entry[1], "saved median_stopping state: " + where + ": value")});
        }
    }
    return history;
}

} // namespace tune::median_stopping
