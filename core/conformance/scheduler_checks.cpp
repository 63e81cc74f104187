#include "core/conformance/scheduler_checks.hpp"

#include <algorithm>
#include <deque>

#include <fmt/format.h>

#include "core/conformance/check_result.hpp"
#include "core/conformance/plugin_probe.hpp"
#include "core/plugin/abi_values.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/plugin/scheduler_adapter.hpp"

namespace tune::conformance {

using nlohmann::json;

namespace {

constexpr int kTrials = 8;
constexpr int kMaxIteration = 12;
constexpr std::size_t kConcurrent = 2;
constexpr int kErrorTrial = 3;     // this trial fails at its second iteration
constexpr int kResultLimit = 5000; // more results than 8 trials x 12 iterations means pause/resume loops

template <class F> auto plugin_call(F &&f) {
    try {
        return f();
    } catch (const core::PluginError &e) {
        throw CheckFailure{e.what()};
    }
}

// Plays the engine's part: kTrials trials with synthetic learning curves, kConcurrent running
// at once, the scheduler choosing which runs and deciding after each result. A value type, so
// a run can be continued from a snapshot against another scheduler instance.
class SchedulerSim {
public:
    enum class Status { Pending, Running, Paused, Done };

    SchedulerSim(std::string metric, bool maximize) : metric_(std::move(metric)), maximize_(maximize) {
        for (int i = 0; i < kTrials; ++i) trials_.push_back({fmt::format("{:05}", i), 0, Status::Pending});
    }

    void add_all(core::SchedulerAdapter &scheduler) {
        for (int i = 0; i < kTrials; ++i)
            plugin_call([&] {
                scheduler.on_trial_add(trials_[i].id, json{{"x", i}}.dump());
                take_actions(scheduler, nullptr);
                return 0;
            });
    }

    // Runs until every trial is done or `results` more results were reported. The trace of
    // choices and decisions made on the way is appended to trace().
    void run(core::SchedulerAdapter &scheduler, int results) {
        for (int reported = 0; reported < results;) {
            fill_slots(scheduler);
            if (running_.empty()) return; // nothing waits, nothing runs: the experiment is over
            std::size_t index = running_.front();
            running_.pop_front();
            Trial &trial = trials_[index];
            ++trial.iteration;
            if (static_cast<int>(index) == kErrorTrial && trial.iteration == 2) {
                trial.status = Status::Done;
                trace_.push_back(trial.id + " error");
                plugin_call([&] {
                    scheduler.on_trial_error(trial.id);
                    return 0;
                });
                take_actions(scheduler, nullptr);
                continue;
            }
            if (++total_results_ > kResultLimit)
                throw CheckFailure{fmt::format("still running after {} results from {} trials of at most {} "
                                               "iterations: trials are paused and resumed without end",
                                               kResultLimit, kTrials, kMaxIteration)};
            ++reported;
            json result = {{"training_iteration", trial.iteration},
                           {metric_, value(index, trial.iteration)},
                           {"time_total_s", trial.iteration * 1.5}};
            core::SchedulerDecision decision = plugin_call([&] { return scheduler.on_trial_result(trial.id, result.dump()); });
            check_detail(trial, decision.detail_json);
            check_promise(trial, decision.action);
            check_state(scheduler);
            ++counts_[decision.action];
            trace_.push_back(fmt::format("{} iteration {}: {}", trial.id, trial.iteration,
                                         core::decisions().label(decision.action)));
            // An action may stop or exploit the reporting trial too, replacing the decision.
            trial.status = Status::Running;
            take_actions(scheduler, &trial);
            if (trial.status == Status::Done) {
                complete(scheduler, trial, result);
            } else if (trial.status == Status::Paused) { // exploited: it waits, with its donor's state
            } else if (decision.action == TUNE_DECISION_PAUSE) {
                trial.status = Status::Paused;
            } else if (decision.action == TUNE_DECISION_STOP || trial.iteration >= kMaxIteration) {
                complete(scheduler, trial, result);
            } else {
                running_.push_back(index);
                // The host steps a trial ahead on the strength of this (decision points).
                trial.promised = plugin_call([&] { return scheduler.next_decision_point(trial.id, trial.iteration); });
            }
        }
    }

    const std::vector<std::string> &trace() const { return trace_; }
    std::string counts() const {
        return fmt::format("{} continue, {} pause, {} stop", counts_[0], counts_[1], counts_[2]);
    }
    int total_results() const { return total_results_; }

private:
    struct Trial {
        std::string id;
        int iteration = 0;
        Status status = Status::Pending;
        std::int64_t promised = 0; // CONTINUE promised for results before this iteration
    };

    // Better trials have lower (min) or higher (max) metric values; every curve improves.
    double value(std::size_t index, int iteration) const {
        double loss = 0.1 * static_cast<double>((index * 5) % kTrials) + 1.0 / iteration;
        return maximize_ ? -loss : loss;
    }

    void fill_slots(core::SchedulerAdapter &scheduler) {
        while (running_.size() < kConcurrent) {
            json candidates = json::array();
            for (const auto &t : trials_)
                if (t.status == Status::Pending || t.status == Status::Paused)
                    candidates.push_back({{"trial_id", t.id}, {"status", t.status == Status::Pending ? "PENDING" : "PAUSED"}});
            if (candidates.empty()) return;
            auto chosen = plugin_call([&] { return scheduler.choose_trial_to_run(candidates.dump()); });
            take_actions(scheduler, nullptr);
            if (!chosen) {
                if (running_.empty())
                    throw CheckFailure{fmt::format("choose_trial_to_run chose none of {} while no trial runs: the "
                                                   "experiment would stall",
                                                   candidates.dump())};
                return;
            }
            auto it = std::find_if(trials_.begin(), trials_.end(), [&](const Trial &t) {
                return t.id == *chosen && (t.status == Status::Pending || t.status == Status::Paused);
            });
            if (it == trials_.end())
                throw CheckFailure{fmt::format("choose_trial_to_run chose '{}', which is not among the candidates {} "
                                               "(or an action of the same call ended it)",
                                               *chosen, candidates.dump())};
            it->status = Status::Running;
            running_.push_back(static_cast<std::size_t>(it - trials_.begin()));
            trace_.push_back("choose " + *chosen);
        }
    }

    void complete(core::SchedulerAdapter &scheduler, Trial &trial, const json &result) {
        trial.status = Status::Done;
        plugin_call([&] {
            scheduler.on_trial_complete(trial.id, result.is_null() ? std::nullopt : std::optional(result.dump()));
            return 0;
        });
        take_actions(scheduler, nullptr);
    }

    Trial &action_target(const std::string &id, const char *action) {
        auto it = std::find_if(trials_.begin(), trials_.end(), [&](const Trial &t) { return t.id == id; });
        if (it == trials_.end())
            throw CheckFailure{fmt::format("take_actions: {} action for trial '{}', which does not exist", action, id)};
        if (it->status == Status::Done)
            throw CheckFailure{fmt::format("take_actions: {} action for trial {}, which has ended", action, id)};
        return *it;
    }

    // The scheduler's actions after a call, applied as the host does (tune/scheduler.h);
    // reporting is the trial whose result was just answered, if any. A malformed action, or
    // one naming a trial that does not exist or has ended, fails the check.
    void take_actions(core::SchedulerAdapter &scheduler, Trial *reporting) {
        for (const auto &action : plugin_call([&] { return scheduler.take_actions(); })) {
            const bool stop = action.kind == core::SchedulerAction::Kind::Stop;
            const char *name = stop ? "stop" : action.kind == core::SchedulerAction::Kind::Checkpoint ? "checkpoint" : "exploit";
            Trial &trial = action_target(action.trial_id, name);
            trace_.push_back(fmt::format("{} {}{}", name, trial.id, stop ? "" : " from " + action.donor_id));
            const bool running = std::find(running_.begin(), running_.end(), index_of(trial)) != running_.end();
            if (stop) {
                if (running) running_.erase(std::find(running_.begin(), running_.end(), index_of(trial)));
                if (&trial == reporting) trial.status = Status::Done; // the caller completes it
                else complete(scheduler, trial, json());
            } else if (action.kind == core::SchedulerAction::Kind::Exploit) {
                auto donor = std::find_if(trials_.begin(), trials_.end(),
                                          [&](const Trial &t) { return t.id == action.donor_id; });
                if (donor == trials_.end()) // an ended donor is fine: its checkpoint stays
                    throw CheckFailure{fmt::format("take_actions: exploit of trial {} from trial '{}', which does not "
                                                   "exist", trial.id, action.donor_id)};
                if (running) running_.erase(std::find(running_.begin(), running_.end(), index_of(trial)));
                trial.iteration = donor->iteration; // it continues from the donor's latest checkpoint
                trial.status = Status::Paused;
            }
        }
    }

    std::size_t index_of(const Trial &trial) const { return static_cast<std::size_t>(&trial - trials_.data()); }

    static void check_detail(const Trial &trial, const std::string &detail) {
        if (detail.empty()) return;
        json parsed = json::parse(detail, nullptr, false);
        if (parsed.is_discarded() || !parsed.is_object())
            throw CheckFailure{fmt::format("trial {} iteration {}: the decision's detail `{}` is not a JSON object",
                                           trial.id, trial.iteration, detail)};
    }

    static void check_promise(const Trial &trial, tune_decision_t action) {
        if (action == TUNE_DECISION_CONTINUE || trial.iteration >= trial.promised) return;
        throw CheckFailure{fmt::format("trial {} iteration {}: on_trial_result answered {}, but next_decision_point "
                                       "promised CONTINUE for every result before iteration {}",
                                       trial.id, trial.iteration, core::decisions().label(action), trial.promised)};
    }

    static void check_state(core::SchedulerAdapter &scheduler) {
        std::string state = plugin_call([&] { return scheduler.describe_state(); });
        json parsed = json::parse(state, nullptr, false);
        if (parsed.is_discarded() || !parsed.is_object())
            throw CheckFailure{fmt::format("describe_state returned `{}`; expected a JSON object", state)};
    }

    std::string metric_;
    bool maximize_;
    std::vector<Trial> trials_;
    std::deque<std::size_t> running_;
    std::vector<std::string> trace_;
    int counts_[3] = {0, 0, 0};
    int total_results_ = 0;
};

std::unique_ptr<core::SchedulerAdapter> set_up(const PluginProbe &probe, const CheckSubject &subject) {
    auto scheduler = std::make_unique<core::SchedulerAdapter>(probe.create());
    try {
        scheduler->setup(subject.config.dump());
    } catch (const core::PluginError &e) {
        throw CheckFailure{fmt::format("setup with the settings {} failed: {} (pass valid ones with --config)",
                                       subject.config.dump(), e.what())};
    }
    return scheduler;
}

SchedulerSim make_sim(const CheckSubject &subject) {
    const json &c = subject.config;
    std::string metric = c.contains("metric") && c["metric"].is_string() ? c["metric"].get<std::string>() : "loss";
    bool maximize = c.contains("mode") && c["mode"] == "max";
    return SchedulerSim(metric, maximize);
}

} // namespace

CheckNote check_scheduler_decisions(const CheckSubject &subject) {
    PluginProbe probe(subject);
    auto scheduler = set_up(probe, subject);
    SchedulerSim sim = make_sim(subject);
    sim.add_all(*scheduler);
    sim.run(*scheduler, kResultLimit + 1);
    return {fmt::format("{} trials, {} results: {}; every choice among the candidates", kTrials, sim.total_results(),
                        sim.counts())};
}

CheckNote check_scheduler_save_restore(const CheckSubject &subject) {
    PluginProbe probe(subject);
    auto original = set_up(probe, subject);
    SchedulerSim sim = make_sim(subject);
    sim.add_all(*original);
    sim.run(*original, kTrials + 2);
    std::string state = plugin_call([&] { return original->save(); });
    SchedulerSim snapshot = sim;
    const std::size_t before = sim.trace().size();
    sim.run(*original, kResultLimit + 1);

    auto restored = set_up(probe, subject);
    plugin_call([&] {
        restored->restore(state);
        return 0;
    });
    snapshot.run(*restored, kResultLimit + 1);
    const auto &expected = sim.trace();
    const auto &actual = snapshot.trace();
    for (std::size_t i = before; i < std::max(expected.size(), actual.size()); ++i) {
        if (i >= expected.size() || i >= actual.size() || expected[i] != actual[i])
            throw CheckFailure{fmt::format("after restore, step {} differs: the original did \"{}\", the restored "
                                           "instance \"{}\"",
                                           i - before + 1, i < expected.size() ? expected[i] : "(nothing)",
                                           i < actual.size() ? actual[i] : "(nothing)")};
    }
    return {fmt::format("state saved after {} results ({} bytes) gave the same {} later choices and decisions",
                        kTrials + 2, state.size(), expected.size() - before)};
}

} // namespace tune::conformance
