// org.tune.test.scripted: a scheduler whose decisions and actions (tune/scheduler.h, ABI 1.2)
// a test scripts in its options, so that the controller's handling of each action runs on
// cue. Options:
//   "on_result":   [{"trial": id, "iteration": n, "decision": "CONTINUE"|"PAUSE"|"STOP",
//                    "actions": [action, ...]}]  (an unscripted result: CONTINUE)
//   "on_complete": [{"trial": id, "actions": [...]}]  (when that trial ends)
//   "on_choose":   [{"call": n, "actions": [...]}]  (at the n-th choose_trial_to_run, from 1)
//   "hold":        [{"trial": id, "until": {"trial": other, "iteration": n}}]  (id is not chosen
//                  to run before other reported training_iteration n; not kept in the state)
// Actions are passed on as written. Trials are chosen as FIFO does. Its state is which
// script entries have fired, so a resumed run does not fire them again.
#include <map>
#include <set>

#include "tune/plugin.hpp"

namespace {

class ScriptedScheduler final : public tune::Scheduler {
public:
    static constexpr const char *id = "org.tune.test.scripted";
    static constexpr const char *version = "0.0.1";
    static constexpr const char *description = "Decides and acts as its options script (tests)";

    void setup(const tune::SchedulerSettings &settings) override {
        on_result_ = tune::get_or<tune::Json>(settings.options, "on_result", tune::Json::array());
        on_complete_ = tune::get_or<tune::Json>(settings.options, "on_complete", tune::Json::array());
        on_choose_ = tune::get_or<tune::Json>(settings.options, "on_choose", tune::Json::array());
        hold_ = tune::get_or<tune::Json>(settings.options, "hold", tune::Json::array());
    }
    tune::Decision on_trial_result(const std::string &trial_id, const tune::Json &result) override {
        const long long iteration = result.at("training_iteration").get<long long>();
        reached_[trial_id] = iteration;
        for (std::size_t i = 0; i < on_result_.size(); ++i) {
            const tune::Json &entry = on_result_[i];
            if (entry.at("trial") != trial_id || entry.at("iteration") != iteration || !fire("result", i)) continue;
            queue(entry);
            const std::string decision = entry.value("decision", "CONTINUE");
            const tune::Json detail = {{"reason", "scripted"}};
            if (decision == "PAUSE") return tune::Decision::pause(detail);
            if (decision == "STOP") return tune::Decision::stop(detail);
            return tune::Decision::keep_going();
        }
        return tune::Decision::keep_going();
    }
    void on_trial_complete(const std::string &trial_id, const std::optional<tune::Json> &) override {
        for (std::size_t i = 0; i < on_complete_.size(); ++i)
            if (on_complete_[i].at("trial") == trial_id && fire("complete", i)) queue(on_complete_[i]);
    }
    std::optional<std::string> choose_trial_to_run(const std::vector<tune::Candidate> &candidates) override {
        ++choose_calls_;
        for (std::size_t i = 0; i < on_choose_.size(); ++i)
            if (on_choose_[i].at("call") == choose_calls_ && fire("choose", i)) queue(on_choose_[i]);
        std::vector<tune::Candidate> free;
        for (const auto &candidate : candidates)
            if (!held(candidate.trial_id)) free.push_back(candidate);
        return tune::Scheduler::choose_trial_to_run(free);
    }
    tune::Json take_actions() override { return std::exchange(actions_, tune::Json::array()); }
    std::string save() override { return tune::Json{{"fired", fired_}, {"choose_calls", choose_calls_}}.dump(); }
    void restore(const std::string &state) override {
        const tune::Json json = tune::Json::parse(state);
        fired_ = json.at("fired").get<std::set<std::string>>();
        choose_calls_ = json.at("choose_calls").get<long long>();
    }

private:
    bool held(const std::string &trial_id) const {
        for (const auto &entry : hold_) {
            if (entry.at("trial") != trial_id) continue;
            const auto reached = reached_.find(entry.at("until").at("trial").get<std::string>());
            if (reached == reached_.end() || reached->second < entry.at("until").at("iteration").get<long long>())
                return true;
        }
        return false;
    }
    bool fire(const std::string &list, std::size_t index) {
        return fired_.insert(list + "#" + std::to_string(index)).second;
    }
    void queue(const tune::Json &entry) {
        for (const auto &action : entry.value("actions", tune::Json::array())) actions_.push_back(action);
    }

    tune::Json on_result_, on_complete_, on_choose_, hold_;
    std::map<std::string, long long> reached_; // each trial's latest training_iteration
    tune::Json actions_ = tune::Json::array();
    std::set<std::string> fired_;
    long long choose_calls_ = 0;
};

} // namespace

TUNE_PLUGIN_LIBRARY(ScriptedScheduler);
