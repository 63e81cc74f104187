#include "core/plugin/scheduler_actions.hpp"

#include <stdexcept>

#include <fmt/format.h>

namespace tune::core {
using nlohmann::json;

namespace {

const std::string &string_field(const json &action, std::size_t index, const char *key) {
    const auto found = action.find(key);
    if (found == action.end() || !found->is_string() || found->get_ref<const std::string &>().empty())
        throw std::invalid_argument(
            fmt::format("action {} ({}) needs \"{}\", a non-empty string", index, action.dump(), key));
    return found->get_ref<const std::string &>();
}

SchedulerAction read_action(const json &action, std::size_t index) {
    if (!action.is_object())
        throw std::invalid_argument(fmt::format("action {} is {}, expected a JSON object", index, action.dump()));
    const std::string &name = string_field(action, index, "action");
    SchedulerAction read;
    read.trial_id = string_field(action, index, "trial_id");
    if (const auto detail = action.find("detail"); detail != action.end() && !detail->is_null()) {
        if (!detail->is_object())
            throw std::invalid_argument(
                fmt::format("action {}: \"detail\" is {}, expected a JSON object", index, detail->dump()));
        if (!detail->empty()) read.detail_json = detail->dump();
    }
    if (name == "stop") {
        read.kind = SchedulerAction::Kind::Stop;
    } else if (name == "checkpoint") {
        read.kind = SchedulerAction::Kind::Checkpoint;
    } else if (name == "exploit") {
        read.kind = SchedulerAction::Kind::Exploit;
        read.donor_id = string_field(action, index, "donor_id");
        if (read.donor_id == read.trial_id)
            throw std::invalid_argument(
                fmt::format("action {}: trial {} cannot exploit itself (donor_id is its own id)", index, read.trial_id));
        const auto config = action.find("config");
        if (config == action.end() || !config->is_object())
            throw std::invalid_argument(
                fmt::format("action {} ({}) needs \"config\", a JSON object of hyperparameters", index, action.dump()));
        read.config = *config;
        if (const auto log = action.find("log_config"); log != action.end()) {
            if (!log->is_boolean())
                throw std::invalid_argument(
                    fmt::format("action {}: \"log_config\" is {}, expected true or false", index, log->dump()));
            read.log_config = log->get<bool>();
        }
    } else {
        throw std::invalid_argument(fmt::format("action {} is \"{}\", expected \"stop\", \"checkpoint\" or \"exploit\"",
                                                index, name));
    }
    return read;
}

} // namespace

std::vector<SchedulerAction> parse_scheduler_actions(const std::string &text) {
    std::vector<SchedulerAction> actions;
    if (text.empty()) return actions;
    const json parsed = json::parse(text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_array())
        throw std::invalid_argument(fmt::format("expected a JSON array of actions, got '{}'", text));
    for (std::size_t i = 0; i < parsed.size(); ++i) actions.push_back(read_action(parsed[i], i));
    return actions;
}

} // namespace tune::core
