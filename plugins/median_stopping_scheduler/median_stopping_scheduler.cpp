#include "median_stopping_scheduler.hpp"

#include <cmath>

#include "tune/sdk/json_numbers.hpp"
#include "numpy_stats.hpp"

namespace tune::median_stopping {

namespace {

constexpr const char *state_format = "org.tune.scheduler.median_stopping/1";

} // namespace

const MedianOptions &MedianStoppingScheduler::options() const {
    if (!options_) throw StateError("the median_stopping scheduler was not set up: call setup first");
    return *options_;
}

void MedianStoppingScheduler::setup(const SchedulerSettings &settings) {
    MedianOptions parsed = parse_median_options(settings);
    history_ = ResultHistory();
    tracker_ = TrialTracker();
    last_judgement_.reset();
    stopped_ = 0;
    yielded_ = 0;
    options_ = std::move(parsed);
}

void MedianStoppingScheduler::on_trial_add(const std::string &trial_id, const Json & /*config*/) {
    options();
    tracker_.add(trial_id); // PENDING: waits to run
}

std::optional<MedianStoppingScheduler::Observation> MedianStoppingScheduler::observe(const Json &result,
                                                                                     std::string &why_not) const {
    const MedianOptions &opts = options();
    const auto read = read_time_and_metric(result, opts.time_attr, opts.metric, why_not);
    if (!read) return std::nullopt;
    return Observation{read->time, read->value};
}

Decision MedianStoppingScheduler::on_trial_result(const std::string &trial_id, const Json &result) {
    const MedianOptions &opts = options();
    TrackedTrial &trial = tracker_.at(trial_id);
    trial.waiting = false; // it reports, so it runs
    std::string why_not;
    const std::optional<Observation> observed = observe(result, why_not);
    if (!observed) return Decision::keep_going({{"reason", why_not}});
    const double time = observed->time;
    // Ray: a trial the rule paused (hard_stop false) runs on as under FIFO, its results unrecorded.
    if (trial.judged_out)
        return Decision::keep_going({{"time", display_number(time)}, {"reason", "judged before: runs on unjudged"}});

    history_.record(trial_id, time, observed->value);
    if (time < opts.grace_period)
        return Decision::keep_going({{"time", display_number(time)}, {"reason", "before grace_period"}});
    const std::vector<std::string> others = history_.trials_beyond(time, trial_id);
    if (others.size() < opts.min_samples_required) return on_too_few(trial_id, trial, time, others.size());
    return judge(trial_id, trial, time, others);
}

Decision MedianStoppingScheduler::on_too_few(const std::string &trial_id, TrackedTrial &trial, double time,
                                             std::size_t compared) {
    const MedianOptions &opts = options();
    const std::size_t waiting = tracker_.waiting_except(trial_id);
    Json detail{{"time", display_number(time)},
                {"compared", compared},
                {"required", opts.min_samples_required},
                {"waiting", waiting}};
    if (waiting == 0) {
        detail["reason"] = "too few trials to compare";
        return Decision::keep_going(std::move(detail));
    }
    // Ray yields only if more than min_time_slice has passed since this trial last yielded.
    if (!(time - trial.last_pause > opts.min_time_slice)) {
        detail["last_pause"] = display_number(trial.last_pause);
        detail["reason"] = "too few trials to compare: yielded within min_time_slice";
        return Decision::keep_going(std::move(detail));
    }
    trial.last_pause = time;
    trial.waiting = true;
    ++yielded_;
    detail["reason"] = "too few trials to compare: yielding to waiting trials";
    return Decision::pause(std::move(detail));
}

Decision MedianStoppingScheduler::judge(const std::string &trial_id, TrackedTrial &trial, double time,
                                        const std::vector<std::string> &others) {
    const MedianOptions &opts = options();
    std::vector<double> means;
    means.reserve(others.size());
    for (const std::string &other : others) means.push_back(history_.running_mean(other, opts.grace_period, time));
    const double median = numpy_median(std::move(means));
    const double best = *history_.best(trial_id, opts.mode); // this result was just recorded
    last_judgement_ = Judgement{time, median, others.size()};

    // Ray stops when compare_op(median, best) != best, compare_op being Python's min (mode
    // min) or max (mode max): the median unless best is strictly better. So a NaN median or
    // a NaN best stops the trial, and a tie continues.
    const bool best_wins = opts.mode == TUNE_MODE_MAX ? best > median : best < median;
    const double picked = best_wins ? best : median;
    const bool worse = picked != best;

    Json detail{{"time", display_number(time)},
                {"best", display_number(best)},
                {"median", display_number(median)},
                {"compared", others.size()}};
    if (!worse) {
        detail["reason"] = "best not worse than median";
        return Decision::keep_going(std::move(detail));
    }
    detail["reason"] = std::isnan(median) ? "median is NaN"
                       : std::isnan(best) ? "best is NaN"
                                          : "best worse than median";
    trial.judged_out = true;
    ++stopped_;
    if (opts.hard_stop) return Decision::stop(std::move(detail));
    trial.waiting = true;
    return Decision::pause(std::move(detail));
}

std::int64_t MedianStoppingScheduler::next_decision_point(const std::string &trial_id, std::int64_t iteration) {
    const MedianOptions &opts = options();
    // A trial the rule paused is never judged again: CONTINUE to the end.
    if (tracker_.at(trial_id).judged_out) return kNoDecisionPoint;
    if (opts.time_attr != "training_iteration") return iteration + 1; // another clock: no foresight
    // Before the grace period every result continues; from it on, any result may pause or stop.
    const double first = std::ceil(opts.grace_period);
    if (first <= static_cast<double>(iteration + 1)) return iteration + 1;
    if (!(first < 9.0e18)) return kNoDecisionPoint; // beyond int64: never
    return static_cast<std::int64_t>(first);
}

void MedianStoppingScheduler::on_trial_error(const std::string &trial_id) {
    options();
    // Its recorded results stay and keep counting in medians, as in Ray.
    tracker_.remove(trial_id);
}

void MedianStoppingScheduler::on_trial_complete(const std::string &trial_id, const std::optional<Json> &result) {
    options();
    tracker_.at(trial_id);
    std::string why_not;
    const std::optional<Observation> observed = result ? observe(*result, why_not) : std::nullopt;
    // Ray appends the last result once more, even after the same result was reported: it then
    // weighs twice in this trial's running means. A result without time_attr or the metric
    // (Ray would fail on it later) is not recorded.
    if (observed) history_.record(trial_id, observed->time, observed->value);
    tracker_.remove(trial_id);
}

std::optional<std::string> MedianStoppingScheduler::choose_trial_to_run(const std::vector<Candidate> &candidates) {
    options();
    tracker_.note_candidates(candidates);
    // Ray's FIFOScheduler: the first PENDING candidate, else the first PAUSED one.
    std::optional<std::string> chosen = Scheduler::choose_trial_to_run(candidates);
    if (chosen && tracker_.contains(*chosen)) tracker_.at(*chosen).waiting = false;
    return chosen;
}

Json MedianStoppingScheduler::describe_state() {
    const MedianOptions &opts = options();
    Json state{{"scheduler", "median_stopping"},
               {"metric", opts.metric},
               {"mode", opts.mode == TUNE_MODE_MAX ? "max" : "min"},
               {"time_attr", opts.time_attr},
               {"grace_period", display_number(opts.grace_period)},
               {"min_samples_required", opts.min_samples_required},
               {"min_time_slice", display_number(opts.min_time_slice)},
               {"hard_stop", opts.hard_stop},
               {"trials", tracker_.size()},
               {"waiting", tracker_.waiting()},
               {"recorded_trials", history_.trial_count()},
               {"results", history_.result_count()},
               {"stopped", stopped_},
               {"yielded", yielded_},
               {"median", nullptr},
               {"median_time", nullptr},
               {"compared", nullptr}};
    if (last_judgement_) {
        state["median"] = display_number(last_judgement_->median);
        state["median_time"] = display_number(last_judgement_->time);
        state["compared"] = last_judgement_->compared;
    }
    return state;
}

std::string MedianStoppingScheduler::save() {
    const MedianOptions &opts = options();
    Json last = nullptr;
    if (last_judgement_)
        last = {{"time", encode_double(last_judgement_->time)},
                {"median", encode_double(last_judgement_->median)},
                {"compared", last_judgement_->compared}};
    return Json{{"format", state_format},
                {"time_attr", opts.time_attr},
                {"metric", opts.metric},
                {"results", history_.save()},
                {"trials", tracker_.save()},
                {"last_judgement", last},
                {"stopped", stopped_},
                {"yielded", yielded_}}
        .dump();
}

void MedianStoppingScheduler::restore(const std::string &text) {
    const MedianOptions &opts = options();
    const Json state = parse_saved_state(text, "median_stopping", state_format);
    // The recorded results are values of time_attr and the metric: others would mean nothing.
    auto require_same = [&](const char *key, const std::string &expected) {
        const Json &saved = json_field(state, key);
        if (saved != expected)
            throw StateError(std::string("saved median_stopping state was recorded with ") + key + " " +
                             saved.dump() + " but the options give \"" + expected + "\"");
    };
    require_same("time_attr", opts.time_attr);
    require_same("metric", opts.metric);

    // Build everything aside first: a failed restore leaves the scheduler as it was.
    ResultHistory history = ResultHistory::restore(json_field(state, "results"));
    TrialTracker tracker = TrialTracker::restore(json_field(state, "trials"));
    std::optional<Judgement> last;
    const Json &saved_last = json_field(state, "last_judgement");
    if (!saved_last.is_null()) {
        if (!saved_last.is_object() || !json_field(saved_last, "compared").is_number_unsigned())
            throw StateError("saved median_stopping state has a malformed 'last_judgement' " + saved_last.dump());
        const std::string what = "saved median_stopping state: last_judgement ";
        last = Judgement{decode_double(json_field(saved_last, "time"), what + "time"),
                         decode_double(json_field(saved_last, "median"), what + "median"),
                         json_field(saved_last, "compared").get<std::size_t>()};
    }
    const std::uint64_t stopped = saved_count(state, "stopped", "median_stopping");
    const std::uint64_t yielded = saved_count(state, "yielded", "median_stopping");

    history_ = std::move(history);
    tracker_ = std::move(tracker);
    last_judgement_ = std::move(last);
    stopped_ = stopped;
    yielded_ = yielded;
}

} // namespace tune::median_stopping

TUNE_PLUGIN_LIBRARY(tune::median_stopping::MedianStoppingScheduler);
