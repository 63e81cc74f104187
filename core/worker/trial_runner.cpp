#include "core/worker/trial_runner.hpp"

#include <nlohmann/json.hpp>

#include "core/plugin/host_services.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/plugin/plugin_instance.hpp"

namespace tune::core {

namespace {

Message error_reply(int status, const std::string &message) {
    return {MessageType::Error, nlohmann::json{{"status", status}, {"message", message}}.dump()};
}

TrialContextArgs context_from(const nlohmann::json &json) {
    TrialContextArgs context;
    context.trial_id = json.at("trial_id").get<std::string>();
    context.trial_dir = json.at("trial_dir").get<std::string>();
    context.num_cpus = json.at("num_cpus").get<unsigned>();
    context.num_gpus = json.at("num_gpus").get<double>();
    context.seed = json.at("seed").get<std::uint64_t>();
    return context;
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
    const auto request = nlohmann::json::parse(payload);
    ensure_instance(request.at("library").get<std::string>(), request.at("plugin_id").get<std::string>());
    const std::string config = request.at("config").dump();
    const TrialContextArgs context = context_from(request.at("context"));
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
    const auto &restore_from = request.at("restore_from");
    if (!restore_from.is_null()) trainable_->restore(restore_from.get<std::string>());
    return {MessageType::Ok, {}};
}

Message TrialRunner::handle(const Message &request) {
    try {
        switch (request.type) {
        case MessageType::StartTrial:
            return start_trial(request.payload);
        case MessageType::Step:
            if (!has_trial_) return error_reply(TUNE_ERROR_STATE, "Step before StartTrial");
            return {MessageType::Result, trainable_->step()};
        case MessageType::Save:
            if (!has_trial_) return error_reply(TUNE_ERROR_STATE, "Save before StartTrial");
            trainable_->save(nlohmann::json::parse(request.payload).at("dir").get<std::string>());
            return {MessageType::Ok, {}};
        case MessageType::Evaluate:
            if (!has_trial_) return error_reply(TUNE_ERROR_STATE, "Evaluate before StartTrial");
            if (!trainable_->can_evaluate())
                return error_reply(TUNE_ERROR_NOT_SUPPORTED, "the trainable has no evaluate extension");
            return {MessageType::Result,
                    trainable_->evaluate(nlohmann::json::parse(request.payload).at("dir").get<std::string>())};
        default:
            return error_reply(TUNE_ERROR_INVALID_ARGUMENT,
                               std::string("unexpected message ") + message_type_name(request.type));
        }
    } catch (const PluginCallError &e) {
        // After a failed setup the instance holds no usable trial.
        if (request.type == MessageType::StartTrial) has_trial_ = false;
        return error_reply(e.status(), e.what());
    } catch (const PluginError &e) {
        has_trial_ = false;
        return error_reply(TUNE_ERROR_INVALID_ARGUMENT, e.what());
    } catch (const nlohmann::json::exception &e) {
        return error_reply(TUNE_ERROR_INVALID_ARGUMENT, std::string("malformed request: ") + e.what());
    }
}

} // namespace tune::core
