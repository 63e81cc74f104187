#include "pbt_population.hpp"

#include "tune/sdk/json_numbers.hpp"

namespace tune::pbt {

namespace {

const char *const saved = "saved PBT state: ";

Status parse_status(const Json &value, const std::string &where) {
    if (value == "PENDING") return Status::pending;
    if (value == "PAUSED") return Status::paused;
    if (value == "RUNNING") return Status::running;
    throw StateError(saved + where + " has status " + value.dump() + "; expected PENDING, PAUSED or RUNNING");
}

bool saved_bool(const Json &trial, const char *key, const std::string &where) {
    if (!trial.contains(key) || !trial[key].is_boolean())
        throw StateError(saved + where + " needs a boolean '" + key + "'");
    return trial[key].get<bool>();
}

double saved_number(const Json &trial, const char *key, const std::string &where) {
    if (!trial.contains(key)) throw StateError(saved + where + " needs '" + key + "'");
    return decode_double(trial[key], saved + where + " " + key);
}

} // namespace

const char *status_name(Status status) {
    switch (status) {
    case Status::pending: return "PENDING";
    case Status::paused: return "PAUSED";
    case Status::running: return "RUNNING";
    }
    return "PENDING";
}

void Population::add(const std::string &trial_id, Json config) {
    if (index_.count(trial_id)) throw StateError("trial '" + trial_id + "' was already added");
    index_.emplace(trial_id, trials_.size());
    PbtTrial trial;
    trial.id = trial_id;
    trial.config = std::move(config);
    trials_.push_back(std::move(trial));
}

PbtTrial &Population::live(const std::string &trial_id) {
    auto found = index_.find(trial_id);
    if (found == index_.end() || trials_[found->second].finished)
        throw StateError("trial '" + trial_id + "' is unknown to the PBT scheduler (never added, or already ended)");
    return trials_[found->second];
}

PbtTrial *Population::find(const std::string &trial_id) {
    auto found = index_.find(trial_id);
    return found == index_.end() ? nullptr : &trials_[found->second];
}

const PbtTrial *Population::find(const std::string &trial_id) const {
    auto found = index_.find(trial_id);
    return found == index_.end() ? nullptr : &trials_[found->second];
}

void Population::finish(const std::string &trial_id) {
    PbtTrial &trial = live(trial_id);
    trial.finished = true;
    trial.config = nullptr; // never a donor again
}

std::size_t Population::live_count() const {
    std::size_t count = 0;
    for (const PbtTrial &trial : trials_) count += !trial.finished;
    return count;
}

std::size_t Population::waiting_except(const std::string &except_id) const {
    std::size_t count = 0;
    for (const PbtTrial &trial : trials_)
        count += !trial.finished && trial.id != except_id && trial.status != Status::running;
    return count;
}

Json Population::save() const {
    Json state = Json::array();
    for (const PbtTrial &trial : trials_)
        state.push_back({{"trial_id", trial.id},
                         {"config", trial.config},
                         {"status", status_name(trial.status)},
                         {"finished", trial.finished},
                         {"last_score", trial.last_score ? encode_double(*trial.last_score) : Json(nullptr)},
                         {"has_checkpoint", trial.has_checkpoint},
                         {"last_perturbation_time", encode_double(trial.last_perturbation_time)},
                         {"last_train_time", encode_double(trial.last_train_time)}});
    return state;
}

Population Population::restore(const Json &state) {
    if (!state.is_array()) throw StateError(std::string(saved) + "needs an array 'trials'");
    Population population;
    for (const Json &entry : state) {
        if (!entry.is_object() || !entry.contains("trial_id") || !entry["trial_id"].is_string())
            throw StateError(saved + std::string("a trial needs a string 'trial_id': ") + entry.dump());
        const std::string id = entry["trial_id"].get<std::string>();
        const std::string where = "trial '" + id + "'";
        if (population.index_.count(id)) throw StateError(saved + where + " appears twice");
        PbtTrial trial;
        trial.id = id;
        trial.finished = saved_bool(entry, "finished", where);
        trial.config = entry.contains("config") ? entry["config"] : Json();
        if (!trial.finished && !trial.config.is_object())
            throw StateError(saved + where + " needs an object 'config'");
        trial.status = parse_status(entry.contains("status") ? entry["status"] : Json(), where);
        if (!entry.contains("last_score")) throw StateError(saved + where + " needs 'last_score'");
        if (!entry["last_score"].is_null()) trial.last_score = saved_number(entry, "last_score", where);
        trial.has_checkpoint = saved_bool(entry, "has_checkpoint", where);
        trial.last_perturbation_time = saved_number(entry, "last_perturbation_time", where);
        trial.last_train_time = saved_number(entry, "last_train_time", where);
        population.index_.emplace(id, population.trials_.size());
        population.trials_.push_back(std::move(trial));
    }
    return population;
}

} // namespace tune::pbt
