#include "core/plugin/scheduler_adapter.hpp"

#include <fmt/format.h>

#include "core/plugin/plugin_error.hpp"

namespace tune::core {

SchedulerAdapter::SchedulerAdapter(std::unique_ptr<PluginInstance> instance)
    : instance_(std::move(instance)),
      table_(instance_->require_interface<tune_scheduler_t>(TUNE_SCHEDULER_INTERFACE)),
      decision_points_(static_cast<const tune_scheduler_decision_points_t *>(
          instance_->find_interface(TUNE_SCHEDULER_DECISION_POINTS_INTERFACE))),
      actions_(static_cast<const tune_scheduler_actions_t *>(instance_->find_interface(TUNE_SCHEDULER_ACTIONS_INTERFACE))) {
    if (actions_ && !actions_->take_actions) actions_ = nullptr;
}

void SchedulerAdapter::setup(const std::string &settings_json) {
    tune_error_t error = empty_error();
    instance_->check(table_.setup(instance_->raw(), settings_json.c_str(), &error), error, "setup");
}

void SchedulerAdapter::on_trial_add(const std::string &trial_id, const std::string &config_json) {
    tune_error_t error = empty_error();
    instance_->check(table_.on_trial_add(instance_->raw(), trial_id.c_str(), config_json.c_str(), &error),
                     error, "on_trial_add");
}

SchedulerDecision SchedulerAdapter::on_trial_result(const std::string &trial_id, const std::string &result_json) {
    tune_error_t error = empty_error();
    TextSink detail;
    tune_decision_t decision = kUnsetValue;
    instance_->check(table_.on_trial_result(instance_->raw(), trial_id.c_str(), result_json.c_str(), &decision,
                                            detail.out(), &error),
                     error, "on_trial_result");
    instance_->check_value(decisions(), decision, "on_trial_result");
    return {decision, detail.take()};
}

std::int64_t SchedulerAdapter::next_decision_point(const std::string &trial_id, std::int64_t iteration) {
    if (!decision_points_ || !decision_points_->next_decision_point) return iteration + 1;
    tune_error_t error = empty_error();
    std::int64_t next = iteration; // not a valid answer: caught below if the plugin leaves it
    instance_->check(decision_points_->next_decision_point(instance_->raw(), trial_id.c_str(), iteration, &next, &error),
                     error, "next_decision_point");
    if (next <= iteration)
        throw PluginCallError(TUNE_ERROR_INTERNAL,
                              fmt::format("scheduler '{}': next_decision_point for trial {} at iteration {} answered {}, "
                                          "expected an iteration after {}",
                                          info().id, trial_id, iteration, next, iteration));
    return next;
}

void SchedulerAdapter::on_trial_error(const std::string &trial_id) {
    tune_error_t error = empty_error();
    instance_->check(table_.on_trial_error(instance_->raw(), trial_id.c_str(), &error), error, "on_trial_error");
}

void SchedulerAdapter::on_trial_complete(const std::string &trial_id, const std::optional<std::string> &result_json) {
    tune_error_t error = empty_error();
    instance_->check(table_.on_trial_complete(instance_->raw(), trial_id.c_str(),
                                              result_json ? result_json->c_str() : nullptr, &error),
                     error, "on_trial_complete");
}

std::optional<std::string> SchedulerAdapter::choose_trial_to_run(const std::string &candidates_json) {
    tune_error_t error = empty_error();
    TextSink chosen;
    instance_->check(table_.choose_trial_to_run(instance_->raw(), candidates_json.c_str(), chosen.out(), &error),
                     error, "choose_trial_to_run");
    if (chosen.text().empty()) return std::nullopt;
    return chosen.take();
}

std::vector<SchedulerAction> SchedulerAdapter::take_actions() {
    if (!actions_) return {};
    tune_error_t error = empty_error();
    TextSink actions;
    instance_->check(actions_->take_actions(instance_->raw(), actions.out(), &error), error, "take_actions");
    try {
        return parse_scheduler_actions(actions.text());
    } catch (const std::invalid_argument &e) {
        throw PluginCallError(TUNE_ERROR_INTERNAL, fmt::format("scheduler '{}': take_actions: {}", info().id, e.what()));
    }
}

std::string SchedulerAdapter::describe_state() {
    tune_error_t error = empty_error();
    TextSink state;
    instance_->check(table_.describe_state(instance_->raw(), state.out(), &error), error, "describe_state");
    return state.take();
}

std::string SchedulerAdapter::save() {
    tune_error_t error = empty_error();
    TextSink state;
    instance_->check(table_.save(instance_->raw(), state.out(), &error), error, "save");
    return state.take();
}

void SchedulerAdapter::restore(const std::string &state) {
    tune_error_t error = empty_error();
    instance_->check(table_.restore(instance_->raw(), state.data(), state.size(), &error), error, "restore");
}

} // namespace tune::core
