#include "core/plugin/scheduler_adapter.hpp"

#include <cstring>
#include <type_traits>

#include "core/plugin/plugin_error.hpp"

namespace tune::core {

SchedulerAdapter::SchedulerAdapter(std::unique_ptr<PluginInstance> instance)
    : instance_(std::move(instance)),
      table_(instance_->require_interface<tune_scheduler_t>(TUNE_SCHEDULER_INTERFACE)) {}

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
    // A plugin may store any integer, or nothing, in the decision: read the bytes as an
    // integer and check them before treating them as a tune_decision_t (loading an enum
    // outside its values is undefined behaviour).
    tune_decision_t slot;
    std::memset(&slot, 0xff, sizeof slot); // no valid decision, if the plugin writes none
    instance_->check(table_.on_trial_result(instance_->raw(), trial_id.c_str(), result_json.c_str(), &slot,
                                            detail.out(), &error),
                     error, "on_trial_result");
    std::underlying_type_t<tune_decision_t> raw = 0;
    static_assert(sizeof raw == sizeof slot);
    std::memcpy(&raw, &slot, sizeof raw);
    if (raw != TUNE_DECISION_CONTINUE && raw != TUNE_DECISION_PAUSE && raw != TUNE_DECISION_STOP)
        throw PluginCallError(TUNE_ERROR_INTERNAL,
                              "plugin '" + info().id + "': on_trial_result returned OK without a valid decision");
    return {static_cast<tune_decision_t>(raw), detail.take()};
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
