#include "core/plugin/trainable_adapter.hpp"

#include "core/plugin/plugin_error.hpp"

namespace tune::core {

namespace {

// The C view of TrialContextArgs; it borrows the strings, so it must not outlive args.
tune_trial_context_t to_c(const TrialContextArgs &args) {
    tune_trial_context_t c{};
    c.struct_size = sizeof(tune_trial_context_t);
    c.trial_id = args.trial_id.c_str();
    c.trial_dir = args.trial_dir.c_str();
    c.num_cpus = args.num_cpus;
    c.num_gpus = args.num_gpus;
    c.seed = args.seed;
    return c;
}

} // namespace

TrainableAdapter::TrainableAdapter(std::unique_ptr<PluginInstance> instance)
    : instance_(std::move(instance)),
      table_(instance_->require_interface<tune_trainable_t>(TUNE_TRAINABLE_INTERFACE)),
      evaluate_(static_cast<const tune_trainable_evaluate_t *>(
          instance_->find_interface(TUNE_TRAINABLE_EVALUATE_INTERFACE))),
      end_trial_(static_cast<const tune_trainable_end_trial_t *>(
          instance_->find_interface(TUNE_TRAINABLE_END_TRIAL_INTERFACE))),
      update_context_(static_cast<const tune_trainable_update_context_t *>(
          instance_->find_interface(TUNE_TRAINABLE_UPDATE_CONTEXT_INTERFACE))) {}

void TrainableAdapter::setup(const std::string &config_json, const TrialContextArgs &context) {
    tune_error_t error = empty_error();
    tune_trial_context_t c = to_c(context);
    instance_->check(table_.setup(instance_->raw(), config_json.c_str(), &c, &error), error, "setup");
}

std::string TrainableAdapter::step() {
    tune_error_t error = empty_error();
    TextSink result;
    instance_->check(table_.step(instance_->raw(), result.out(), &error), error, "step");
    return result.take();
}

void TrainableAdapter::save(const std::string &checkpoint_dir) {
    tune_error_t error = empty_error();
    instance_->check(table_.save(instance_->raw(), checkpoint_dir.c_str(), &error), error, "save");
}

void TrainableAdapter::restore(const std::string &checkpoint_dir) {
    tune_error_t error = empty_error();
    instance_->check(table_.restore(instance_->raw(), checkpoint_dir.c_str(), &error), error, "restore");
}

bool TrainableAdapter::reset(const std::string &config_json, const TrialContextArgs &context) {
    tune_error_t error = empty_error();
    tune_trial_context_t c = to_c(context);
    tune_status_t status = table_.reset(instance_->raw(), config_json.c_str(), &c, &error);
    if (status == TUNE_ERROR_NOT_SUPPORTED) return false;
    instance_->check(status, error, "reset");
    return true;
}

std::string TrainableAdapter::evaluate(const std::string &checkpoint_dir) {
    if (!evaluate_)
        throw PluginError("plugin '" + info().id + "' does not implement " TUNE_TRAINABLE_EVALUATE_INTERFACE);
    tune_error_t error = empty_error();
    TextSink result;
    instance_->check(evaluate_->evaluate(instance_->raw(), checkpoint_dir.c_str(), result.out(), &error),
                     error, "evaluate");
    return result.take();
}

void TrainableAdapter::end_trial() {
    if (!end_trial_) return;
    tune_error_t error = empty_error();
    instance_->check(end_trial_->end_trial(instance_->raw(), &error), error, "end_trial");
}

bool TrainableAdapter::update_context(const TrialContextArgs &context) {
    if (!update_context_) return false;
    tune_error_t error = empty_error();
    tune_trial_context_t c = to_c(context);
    const tune_status_t status = update_context_->update_context(instance_->raw(), &c, &error);
    if (status == TUNE_ERROR_NOT_SUPPORTED) return false;
    instance_->check(status, error, "update_context");
    return true;
}

} // namespace tune::core
