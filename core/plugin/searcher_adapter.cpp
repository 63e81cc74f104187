#include "core/plugin/searcher_adapter.hpp"

#include "core/plugin/plugin_error.hpp"

namespace tune::core {

SearcherAdapter::SearcherAdapter(std::unique_ptr<PluginInstance> instance)
    : instance_(std::move(instance)),
      table_(instance_->require_interface<tune_searcher_t>(TUNE_SEARCHER_INTERFACE)) {}

void SearcherAdapter::setup(const std::string &settings_json) {
    tune_error_t error = empty_error();
    instance_->check(table_.setup(instance_->raw(), settings_json.c_str(), &error), error, "setup");
}

SuggestResult SearcherAdapter::suggest(const std::string &trial_id) {
    tune_error_t error = empty_error();
    TextSink config;
    tune_suggest_outcome_t outcome = kUnsetValue;
    instance_->check(table_.suggest(instance_->raw(), trial_id.c_str(), config.out(), &outcome, &error),
                     error, "suggest");
    instance_->check_value(suggest_outcomes(), outcome, "suggest");
    if (outcome == TUNE_SUGGEST_CONFIG && config.text().empty())
        throw PluginCallError(TUNE_ERROR_INTERNAL,
                              "plugin '" + info().id + "': suggest returned a config outcome with no config");
    return {outcome, config.take()};
}

void SearcherAdapter::on_result(const std::string &trial_id, const std::string &result_json) {
    tune_error_t error = empty_error();
    instance_->check(table_.on_result(instance_->raw(), trial_id.c_str(), result_json.c_str(), &error), error,
                     "on_result");
}

void SearcherAdapter::on_complete(const std::string &trial_id, const std::optional<std::string> &result_json,
                                  bool failed) {
    tune_error_t error = empty_error();
    instance_->check(table_.on_complete(instance_->raw(), trial_id.c_str(),
                                        result_json ? result_json->c_str() : nullptr, failed ? 1 : 0, &error),
                     error, "on_complete");
}

std::string SearcherAdapter::save() {
    tune_error_t error = empty_error();
    TextSink state;
    instance_->check(table_.save(instance_->raw(), state.out(), &error), error, "save");
    return state.take();
}

void SearcherAdapter::restore(const std::string &state) {
    tune_error_t error = empty_error();
    instance_->check(table_.restore(instance_->raw(), state.data(), state.size(), &error), error, "restore");
}

} // namespace tune::core
