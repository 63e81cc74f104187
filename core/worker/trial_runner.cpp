#include "core/worker/trial_runner.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>

#include "core/plugin/host_services.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/plugin/plugin_instance.hpp"

namespace tune::core {

namespace {

TrialContextArgs context_of(const StartTrialRequest &request) {
    return {request.trial_id, request.trial_dir, request.num_cpus, request.num_gpus, request.seed};
}

// Whether a step's result says "done": true. Most results have no "done" at all, and the
// text search keeps those from being parsed.
bool says_done(const std::string &result) {
    if (result.find("\"done\"") == std::string::npos) return false;
    const auto value = nlohmann::json::parse(result, nullptr, false);
    if (!value.is_object()) return false;
    const auto done = value.find("done");
    return done != value.end() && done->is_boolean() && done->get<bool>();
}

} // namespace

void TrialRunner::ensure_instance(const std::filesystem::path &library, const std::string &plugin_id) {
    if (!library_ || library_->file() != library) {
        trainable_.reset(); // the old instance goes before its library may unload
        library_ = PluginLibrary::load(library);
    }
    if (!trainable_ || plugin_id_ != plugin_id) {
        trainable_.reset();
        has_trial_ = false;
        trainable_ = std::make_unique<TrainableAdapter>(library_->create(plugin_id, host_services()));
        plugin_id_ = plugin_id;
    }
}

Message TrialRunner::start_trial(const std::string &payload) {
    const StartTrialRequest request = decode_start_trial(payload);
    ensure_instance(request.library, request.plugin_id);
    const std::string config = request.config.dump();
    const TrialContextArgs context = context_of(request);
    // Reuse the instance if the plugin can reset; otherwise start from a fresh one.
    if (!has_trial_ || !trainable_->reset(config, context)) {
        if (has_trial_) {
            trainable_.reset();
            trainable_ = std::make_unique<TrainableAdapter>(library_->create(plugin_id_, host_services()));
        }
        has_trial_ = false;
        trainable_->setup(config, context);
    }
    has_trial_ = true;
    context_ = context;
    reported_done_ = false;
    if (!request.restore_from.empty()) trainable_->restore(request.restore_from);
    return {MessageType::Ok, {}};
}

Message TrialRunner::end_trial() {
    if (!trainable_) return {MessageType::Ok, {}};
    try {
        trainable_->end_trial();
    } catch (const std::exception &e) { // the trial has ended either way: the worker log says why
        std::fprintf(stderr, "tune-worker: %s\n", e.what());
        return encode_error(TUNE_ERROR_INTERNAL, e.what());
    }
    return {MessageType::Ok, {}};
}

Message TrialRunner::update_context(const std::string &payload) {
    const unsigned num_cpus = decode_update_context(payload);
    if (!has_trial_ || num_cpus == context_.num_cpus) return {MessageType::Ok, {}};
    TrialContextArgs updated = context_;
    updated.num_cpus = num_cpus;
    try {
        if (trainable_->update_context(updated)) context_ = updated;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "tune-worker: %s (the trial keeps %u threads)\n", e.what(), context_.num_cpus);
    }
    return {MessageType::Ok, {}};
}

Message TrialRunner::handle(const Message &request) {
    try {
        switch (request.type) {
        case MessageType::StartTrial:
            return start_trial(request.payload);
        case MessageType::Step:
            if (!has_trial_) return encode_error(TUNE_ERROR_STATE, "Step before StartTrial");
            if (reported_done_) return {MessageType::Skipped, {}};
            {
                Message result{MessageType::Result, trainable_->step()};
                reported_done_ = says_done(result.payload);
                return result;
            }
        case MessageType::Save:
            if (!has_trial_) return encode_error(TUNE_ERROR_STATE, "Save before StartTrial");
            trainable_->save(decode_checkpoint_dir(request.payload));
            return {MessageType::Ok, {}};
        case MessageType::EndTrial:
            return end_trial();
        case MessageType::UpdateContext:
            return update_context(request.payload);
        case MessageType::Evaluate:
            if (!has_trial_) return encode_error(TUNE_ERROR_STATE, "Evaluate before StartTrial");
            if (!trainable_->can_evaluate())
                return encode_error(TUNE_ERROR_NOT_SUPPORTED, "the trainable has no evaluate extension");
            return {MessageType::Result,
                    trainable_->evaluate(decode_checkpoint_dir(request.payload))};
        default:
            return encode_error(TUNE_ERROR_INVALID_ARGUMENT,
                               std::string("unexpected message ") + message_type_name(request.type));
        }
    } catch (const PluginCallError &e) {
        // A failed call fails the trial, which the host releases without an EndTrial.
        if (request.type != MessageType::EndTrial) end_trial();
        // After a failed setup the instance holds no usable trial.
        if (request.type == MessageType::StartTrial) has_trial_ = false;
        return encode_error(e.status(), e.what());
    } catch (const PluginError &e) {
        end_trial();
        has_trial_ = false;
        return encode_error(TUNE_ERROR_INVALID_ARGUMENT, e.what());
    } catch (const nlohmann::json::exception &e) {
        return encode_error(TUNE_ERROR_INVALID_ARGUMENT, std::string("malformed request: ") + e.what());
    } catch (const std::invalid_argument &e) {
        return encode_error(TUNE_ERROR_INVALID_ARGUMENT, std::string("malformed request: ") + e.what());
    }
}

} // namespace tune::core
