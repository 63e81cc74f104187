#include "pbt_scheduler.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "pbt_explore.hpp"
#include "tune/sdk/json_numbers.hpp"
#include "tune/space/random.hpp"

namespace tune::pbt {

namespace {

constexpr const char *state_format = "org.tune.scheduler.pbt/1";

Json ids(const std::vector<ScoredTrial> &trials) {
    Json list = Json::array();
    for (const ScoredTrial &trial : trials) list.push_back(trial.trial_id);
    return list;
}

} // namespace

const PbtOptions &PbtScheduler::options() const {
    if (!options_) throw StateError("the PBT scheduler was not set up: call setup first");
    return *options_;
}

double PbtScheduler::metric_of(double score) const {
    return options().mode == TUNE_MODE_MAX ? score : -score;
}

void PbtScheduler::setup(const SchedulerSettings &settings) {
    PbtOptions parsed = parse_pbt_options(settings);
    population_ = Population();
    // The experiment's seed, mixed with a tag: the searchers seed an mt19937_64 with the same
    // seed and draw from the same domains, so a plain seed would resample the very values the
    // searcher gave other trials.
    std::seed_seq seed{static_cast<std::uint32_t>(parsed.seed), static_cast<std::uint32_t>(parsed.seed >> 32),
                       std::uint32_t{0x50425431}}; // "PBT1"
    rng_.seed(seed);
    // Ray: the first synchronous perturbation waits for the burn-in period too.
    next_perturbation_sync_ = std::max(parsed.perturbation_interval, parsed.burn_in_period);
    num_checkpoints_ = 0;
    num_perturbations_ = 0;
    actions_ = Json::array();
    options_ = std::move(parsed);
}

void PbtScheduler::on_trial_add(const std::string &trial_id, const Json &config) {
    const PbtOptions &opts = options();
    check_config(opts.mutations, config, trial_id);
    population_.add(trial_id, config); // PENDING
}

Decision PbtScheduler::on_trial_result(const std::string &trial_id, const Json &result) {
    const PbtOptions &opts = options();
    PbtTrial &trial = population_.live(trial_id);
    trial.status = Status::running; // it reports, so it runs
    std::string why_not;
    const std::optional<TimedMetric> read = read_time_and_metric(result, opts.time_attr, opts.metric, why_not);
    if (!read) {
        if (opts.require_attrs)
            throw Error(TUNE_ERROR_INVALID_ARGUMENT,
                        "PBT: a result of trial '" + trial_id + "' has no " +
                            (why_not == "metric missing" ? "metric '" + opts.metric + "'"
                                                         : "time_attr '" + opts.time_attr + "'") +
                            "; make sure the trainable reports it, or set option require_attrs = false to let such "
                            "results continue");
        return Decision::keep_going({{"reason", why_not}});
    }
    const double time = read->time;
    Json detail{{"time", display_number(time)}};
    if (time < opts.burn_in_period) {
        detail["reason"] = "burn-in period";
        return Decision::keep_going(std::move(detail));
    }
    // Continue until the perturbation interval has passed: no checkpoint overhead before.
    if (time - trial.last_perturbation_time < opts.perturbation_interval) {
        detail["reason"] = "perturbation interval not reached";
        return Decision::keep_going(std::move(detail));
    }
    // A perturbation point: the trial's score and time are recorded (Ray's _save_trial_state).
    trial.last_score = (opts.mode == TUNE_MODE_MAX ? 1.0 : -1.0) * read->value;
    trial.last_train_time = time;
    detail["score"] = display_number(read->value);
    return opts.synch ? perturb_synch(trial, time, std::move(detail)) : perturb_async(trial, time, std::move(detail));
}

Decision PbtScheduler::perturb_async(PbtTrial &trial, double time, Json detail) {
    trial.last_perturbation_time = time;
    const Quantiles quantiles = current_quantiles();
    // Ray yields to any trial that waits to run, decided before this trial's own exploit.
    const std::size_t waiting = population_.waiting_except(trial.id);
    const Perturbed perturbed = checkpoint_or_exploit(trial, quantiles, time);
    detail.update(quantile_detail(quantiles));
    describe(perturbed, detail);
    // An exploited trial is ended by the host and waits, PAUSED, with its new config: the
    // exploit action replaces the answer (Ray returns NOOP).
    if (perturbed.exploited) return Decision::keep_going(std::move(detail));
    if (waiting == 0) return Decision::keep_going(std::move(detail));
    trial.status = Status::paused;
    detail["waiting"] = waiting;
    detail["reason"] = detail["reason"].get<std::string>() + "; yielding to waiting trials";
    return Decision::pause(std::move(detail));
}

Decision PbtScheduler::perturb_synch(PbtTrial &trial, double time, Json detail) {
    // Every trial pauses at a perturbation point; choose_trial_to_run resumes those behind.
    trial.status = Status::paused;
    const std::size_t behind = behind_sync(trial.id);
    if (behind > 0) {
        detail["behind"] = behind;
        detail["next_perturbation_sync"] = display_number(next_perturbation_sync_);
        detail["reason"] = "synch: waiting for the other trials to reach the perturbation time";
        return Decision::pause(std::move(detail));
    }
    const Quantiles quantiles = current_quantiles();
    const Perturbed perturbed = synchronize(time, trial.id, quantiles);
    detail.update(quantile_detail(quantiles));
    describe(perturbed, detail);
    detail["next_perturbation_sync"] = display_number(next_perturbation_sync_);
    return Decision::pause(std::move(detail));
}

PbtScheduler::Perturbed PbtScheduler::synchronize(double time, const std::string &reporter,
                                                  const Quantiles &quantiles) {
    // Upper quantile first, then the rest, then the lower quantile: the strong trials are
    // checkpointed before the weak ones clone them. Ended trials are walked too, as in Ray.
    std::vector<std::string> order;
    for (const ScoredTrial &t : quantiles.upper) order.push_back(t.trial_id);
    for (const PbtTrial &t : population_.trials())
        if (!contains(quantiles.upper, t.id) && !contains(quantiles.lower, t.id)) order.push_back(t.id);
    for (const ScoredTrial &t : quantiles.lower) order.push_back(t.trial_id);

    Perturbed for_reporter;
    for (const std::string &id : order) {
        PbtTrial &trial = *population_.find(id); // every id comes from the population
        trial.last_perturbation_time = time;
        if (trial.finished) {
            trial.has_checkpoint = false; // never in a quantile
            continue;
        }
        Perturbed perturbed = checkpoint_or_exploit(trial, quantiles, time);
        if (id == reporter) for_reporter = perturbed;
    }
    // Ray takes the latest over all its trials, ended ones included.
    double latest = -std::numeric_limits<double>::infinity();
    for (const PbtTrial &t : population_.trials()) latest = std::max(latest, t.last_train_time);
    next_perturbation_sync_ = std::max(next_perturbation_sync_ + options().perturbation_interval, latest);
    // If every live trial is at that point already (all reported the same latest time), Ray
    // would run none of them again: the point after it is the next one instead.
    if (population_.live_count() > 0 && behind_sync("") == 0)
        next_perturbation_sync_ = latest + options().perturbation_interval;
    return for_reporter;
}

std::size_t PbtScheduler::behind_sync(const std::string &except_id) const {
    std::size_t behind = 0;
    for (const PbtTrial &t : population_.trials())
        behind += !t.finished && t.id != except_id && t.last_train_time < next_perturbation_sync_;
    return behind;
}

void PbtScheduler::synchronize_if_all_waiting() {
    if (!options().synch || population_.live_count() == 0 || behind_sync("") > 0) return;
    // The time of the last trial to arrive: Ray perturbs with the time of that trial's result.
    double time = -std::numeric_limits<double>::infinity();
    for (const PbtTrial &t : population_.trials())
        if (!t.finished) time = std::max(time, t.last_train_time);
    synchronize(time, "", current_quantiles());
}

Quantiles PbtScheduler::current_quantiles() const {
    std::vector<ScoredTrial> scored;
    for (const PbtTrial &t : population_.trials())
        if (t.last_score && !t.finished) scored.push_back({t.id, *t.last_score});
    return quantiles(std::move(scored), options().quantile_fraction);
}

PbtScheduler::Perturbed PbtScheduler::checkpoint_or_exploit(PbtTrial &trial, const Quantiles &quantiles,
                                                            double time) {
    Perturbed perturbed;
    if (contains(quantiles.upper, trial.id)) {
        // Ray schedules a save of this result (a PAUSED trial already has its checkpoint).
        actions_.push_back(checkpoint_action(trial.id));
        trial.has_checkpoint = true;
        perturbed.checkpoint = true;
        ++num_checkpoints_;
    } else {
        trial.has_checkpoint = false; // not a top trial: nobody clones it until it is again
    }
    if (!contains(quantiles.lower, trial.id)) return perturbed;
    perturbed.lower = true;
    perturbed.donor = quantiles.upper[space::uniform_below(rng_, quantiles.upper.size())].trial_id;
    const PbtTrial &donor = population_.live(perturbed.donor);
    // Ray skips the exploit when the donor was not checkpointed at its last perturbation.
    if (!donor.has_checkpoint) return perturbed;
    exploit(trial, donor, quantiles, time);
    perturbed.exploited = true;
    return perturbed;
}

void PbtScheduler::exploit(PbtTrial &trial, const PbtTrial &donor, const Quantiles &quantiles, double time) {
    const PbtOptions &opts = options();
    // Ray's _get_new_config: the donor's config, explored.
    Explored explored = explore(donor.config, opts.mutations, opts.resample_probability, opts.perturbation_factors, rng_);
    Json detail{{"reason", "lower quantile: exploit"},
                {"time", display_number(time)},
                {"donor", donor.id},
                {"score", trial.last_score ? display_number(metric_of(*trial.last_score)) : Json(nullptr)},
                {"donor_score", donor.last_score ? display_number(metric_of(*donor.last_score)) : Json(nullptr)},
                {"operations", explored.operations},
                {"old_params", mutated_params(opts.mutations, donor.config)},
                {"new_params", mutated_params(opts.mutations, explored.config)}};
    detail.update(quantile_detail(quantiles));
    actions_.push_back(exploit_action(trial.id, donor.id, explored.config, std::move(detail), opts.log_config));
    trial.config = std::move(explored.config);
    trial.status = Status::paused; // the host ends its run; choose_trial_to_run starts it again
    ++num_perturbations_;
    // It continues from the donor's checkpoint: the donor's clock comes with it.
    trial.last_perturbation_time = donor.last_perturbation_time;
    trial.last_train_time = donor.last_train_time;
}

Json PbtScheduler::quantile_detail(const Quantiles &quantiles) const {
    Json detail{{"lower_quantile", ids(quantiles.lower)}, {"upper_quantile", ids(quantiles.upper)}};
    // The boundaries in the metric's own sign: the best of the lower quantile and the worst of
    // the upper one.
    detail["lower_bound"] =
        quantiles.lower.empty() ? Json(nullptr) : display_number(metric_of(quantiles.lower.back().score));
    detail["upper_bound"] =
        quantiles.upper.empty() ? Json(nullptr) : display_number(metric_of(quantiles.upper.front().score));
    return detail;
}

void PbtScheduler::describe(const Perturbed &perturbed, Json &detail) {
    if (perturbed.checkpoint) {
        detail["quantile"] = "upper";
        detail["reason"] = "upper quantile: checkpoint";
    } else if (perturbed.lower) {
        detail["quantile"] = "lower";
        detail["donor"] = perturbed.donor;
        detail["reason"] = perturbed.exploited ? "lower quantile: exploit" : "lower quantile: donor has no checkpoint";
    } else if (detail["upper_quantile"].empty()) {
        detail["quantile"] = nullptr;
        detail["reason"] = "too few scored trials";
    } else {
        detail["quantile"] = "middle";
        detail["reason"] = "not in a quantile";
    }
}

std::int64_t PbtScheduler::next_decision_point(const std::string &trial_id, std::int64_t iteration) {
    const PbtOptions &opts = options();
    const PbtTrial &trial = population_.live(trial_id);
    // Just exploited: it restarts from the donor's checkpoint; promise nothing.
    if (trial.status == Status::paused) return iteration + 1;
    if (opts.time_attr != "training_iteration") return iteration + 1; // another clock: no foresight
    // Nothing but CONTINUE before the burn-in period and the perturbation interval have passed.
    const double next = std::ceil(std::max(opts.burn_in_period,
                                           trial.last_perturbation_time + opts.perturbation_interval));
    if (next <= static_cast<double>(iteration + 1)) return iteration + 1;
    if (!(next < 9.0e18)) return kNoDecisionPoint; // beyond int64: never
    return static_cast<std::int64_t>(next);
}

void PbtScheduler::on_trial_error(const std::string &trial_id) {
    options();
    population_.finish(trial_id);
    synchronize_if_all_waiting();
}

void PbtScheduler::on_trial_complete(const std::string &trial_id, const std::optional<Json> & /*result*/) {
    options();
    // Ray's PBT ignores the last result: the trial only leaves the population.
    population_.finish(trial_id);
    synchronize_if_all_waiting();
}

std::optional<std::string> PbtScheduler::choose_trial_to_run(const std::vector<Candidate> &candidates) {
    const PbtOptions &opts = options();
    // The candidates are authoritative: the host may retry a failed trial as PENDING unasked.
    std::vector<PbtTrial *> waiting;
    for (const Candidate &candidate : candidates) {
        PbtTrial &trial = population_.live(candidate.trial_id);
        trial.status = candidate.status == "PAUSED" ? Status::paused : Status::pending;
        waiting.push_back(&trial);
    }
    // Ray iterates its trials in the order added; the sort by last_train_time keeps ties so.
    std::sort(waiting.begin(), waiting.end(), [&](const PbtTrial *a, const PbtTrial *b) {
        return a - population_.trials().data() < b - population_.trials().data();
    });
    std::vector<PbtTrial *> eligible;
    for (PbtTrial *trial : waiting)
        if (!opts.synch || trial->last_train_time < next_perturbation_sync_) eligible.push_back(trial);
    if (eligible.empty() && opts.synch) {
        // A safety net (synchronize keeps a trial behind the point): nothing behind it waits
        // and nothing runs that could reach it, where Ray would wait for ever. The least
        // trained trial runs on; its next perturbation synchronizes.
        const bool running = std::any_of(population_.trials().begin(), population_.trials().end(),
                                         [](const PbtTrial &t) { return !t.finished && t.status == Status::running; });
        if (!running) eligible = waiting;
    }
    if (eligible.empty()) return std::nullopt;
    // The least trained first; the first added among equals.
    PbtTrial *chosen = *std::min_element(eligible.begin(), eligible.end(), [](const PbtTrial *a, const PbtTrial *b) {
        return a->last_train_time < b->last_train_time;
    });
    chosen->status = Status::running;
    return chosen->id;
}

Json PbtScheduler::take_actions() {
    // No setup needed: before it there is simply nothing queued.
    Json taken = Json::array();
    std::swap(taken, actions_);
    return taken;
}

Json PbtScheduler::describe_state() {
    const PbtOptions &opts = options();
    Json factors = Json::array();
    for (const Factor &factor : opts.perturbation_factors) factors.push_back(factor.value);
    const Quantiles quantiles = current_quantiles();
    std::size_t scored = 0;
    for (const PbtTrial &t : population_.trials()) scored += t.last_score && !t.finished;
    Json state{{"scheduler", "pbt"},
               {"metric", opts.metric},
               {"mode", opts.mode == TUNE_MODE_MAX ? "max" : "min"},
               {"time_attr", opts.time_attr},
               {"perturbation_interval", display_number(opts.perturbation_interval)},
               {"burn_in_period", display_number(opts.burn_in_period)},
               {"hyperparam_mutations", opts.hyperparam_mutations},
               {"quantile_fraction", opts.quantile_fraction},
               {"resample_probability", opts.resample_probability},
               {"perturbation_factors", factors},
               {"synch", opts.synch},
               {"require_attrs", opts.require_attrs},
               {"log_config", opts.log_config},
               {"trials", population_.live_count()},
               {"waiting", population_.waiting_except("")},
               {"scored", scored},
               {"num_perturbations", num_perturbations_},
               {"num_checkpoints", num_checkpoints_},
               {"next_perturbation_sync", opts.synch ? display_number(next_perturbation_sync_) : Json(nullptr)}};
    state.update(quantile_detail(quantiles));
    // Each live trial as the quantiles see it: its score (metric's sign) and clock.
    Json population = Json::object();
    for (const PbtTrial &t : population_.trials()) {
        if (t.finished) continue;
        population[t.id] = {{"status", status_name(t.status)},
                            {"score", t.last_score ? display_number(metric_of(*t.last_score)) : Json(nullptr)},
                            {"last_train_time", display_number(t.last_train_time)},
                            {"last_perturbation_time", display_number(t.last_perturbation_time)}};
    }
    state["population"] = std::move(population);
    return state;
}

std::string PbtScheduler::save() {
    const PbtOptions &opts = options();
    std::ostringstream rng;
    rng << rng_;
    return Json{{"format", state_format},
                {"time_attr", opts.time_attr},
                {"metric", opts.metric},
                {"mode", opts.mode == TUNE_MODE_MAX ? "max" : "min"},
                {"trials", population_.save()},
                {"next_perturbation_sync", encode_double(next_perturbation_sync_)},
                {"num_checkpoints", num_checkpoints_},
                {"num_perturbations", num_perturbations_},
                {"rng", rng.str()},
                {"actions", actions_}}
        .dump();
}

void PbtScheduler::restore(const std::string &text) {
    const PbtOptions &opts = options();
    const Json state = parse_saved_state(text, "PBT", state_format);
    // Scores are the metric times the mode's sign, and times are time_attr's: others would
    // mean nothing.
    auto require_same = [&](const char *key, const std::string &expected) {
        const Json &saved = json_field(state, key);
        if (saved != expected)
            throw StateError(std::string("saved PBT state was recorded with ") + key + " " + saved.dump() +
                             " but the options give \"" + expected + "\"");
    };
    require_same("time_attr", opts.time_attr);
    require_same("metric", opts.metric);
    require_same("mode", opts.mode == TUNE_MODE_MAX ? "max" : "min");

    // Build everything aside first: a failed restore leaves the scheduler as it was.
    Population population = Population::restore(json_field(state, "trials"));
    // The options may change on resume; the configs must still hold every mutated key.
    for (const PbtTrial &trial : population.trials()) {
        if (trial.finished) continue;
        try {
            check_config(opts.mutations, trial.config, trial.id);
        } catch (const ConfigError &e) {
            throw StateError(std::string("saved PBT state does not fit hyperparam_mutations: ") + e.what());
        }
    }
    const double next_sync = decode_double(json_field(state, "next_perturbation_sync"),
                                           "saved PBT state: next_perturbation_sync");
    const std::uint64_t checkpoints = saved_count(state, "num_checkpoints", "PBT");
    const std::uint64_t perturbations = saved_count(state, "num_perturbations", "PBT");
    std::mt19937_64 rng;
    const Json &saved_rng = json_field(state, "rng");
    std::istringstream rng_text(saved_rng.is_string() ? saved_rng.get<std::string>() : std::string());
    rng_text >> rng;
    if (rng_text.fail()) throw StateError("saved PBT state has no valid 'rng'");
    const Json &actions = json_field(state, "actions");
    if (!actions.is_array()) throw StateError("saved PBT state needs an array 'actions'");

    population_ = std::move(population);
    next_perturbation_sync_ = next_sync;
    num_checkpoints_ = checkpoints;
    num_perturbations_ = perturbations;
    rng_ = rng;
    actions_ = actions;
}

} // namespace tune::pbt

TUNE_PLUGIN_LIBRARY(tune::pbt::PbtScheduler);
