// The PBT population: every trial added, in the order added (Ray's _trial_state and the trial
// runner's statuses, as far as a tune scheduler learns them from its calls). Ended trials stay,
// marked finished, as in Ray: they leave the quantiles but still count in the synchronous
// variant's next perturbation time.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tune/plugin.hpp"

namespace tune::pbt {

// What Ray asks the trial runner: PENDING (added, or retried after a failure), PAUSED (by this
// scheduler's decision or exploit, or offered as such), RUNNING (chosen, or reporting).
enum class Status { pending, paused, running };

struct PbtTrial {
    std::string id;
    Json config; // its hyperparameters: on_trial_add's config, then each exploit's (null once ended)
    Status status = Status::pending;
    bool finished = false;              // completed or failed
    std::optional<double> last_score;   // metric * metric_op at its last perturbation
    bool has_checkpoint = false;        // Ray's last_checkpoint is set: an upper trial at its last perturbation
    double last_perturbation_time = 0.0;
    double last_train_time = 0.0;       // time_attr at its last perturbation (or its donor's)
};

class Population {
public:
    // A new trial, PENDING. Throws StateError if the id was added before.
    void add(const std::string &trial_id, Json config);
    // The trial, unfinished; StateError naming it if it was never added or has ended.
    PbtTrial &live(const std::string &trial_id);
    // The trial, ended or not; nullptr if it was never added.
    PbtTrial *find(const std::string &trial_id);
    const PbtTrial *find(const std::string &trial_id) const;
    // The trial ended: it stays, finished, without its config.
    void finish(const std::string &trial_id);

    // Every trial, ended ones included, in the order added (Ray's get_trials()).
    std::vector<PbtTrial> &trials() { return trials_; }
    const std::vector<PbtTrial> &trials() const { return trials_; }
    std::size_t live_count() const;
    // Unfinished trials other than except_id that are PENDING or PAUSED.
    std::size_t waiting_except(const std::string &except_id) const;

    // [{"trial_id", "config", "status", "finished", "last_score", "has_checkpoint",
    //   "last_perturbation_time", "last_train_time"}, ...] in order; numbers encoded.
    Json save() const;
    // The inverse of save; throws StateError for malformed state.
    static Population restore(const Json &state);

private:
    std::vector<PbtTrial> trials_;
    std::map<std::string, std::size_t> index_; // trial_id -> position in trials_
};

const char *status_name(Status status);

} // namespace tune::pbt
