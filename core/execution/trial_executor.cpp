#include "core/execution/trial_executor.hpp"

namespace tune::core {

const char *trial_request_name(TrialRequest request) {
    switch (request) {
    case TrialRequest::Start: return "Start";
    case TrialRequest::Step: return "Step";
    case TrialRequest::Save: return "Save";
    case TrialRequest::Evaluate: return "Evaluate";
    }
    return "unknown";
}

std::string started_text(long long pid) { return "{\"pid\":" + std::to_string(pid) + "}"; }

long long started_pid(const std::string &text) {
    if (text.empty()) return 0;
    const auto value = nlohmann::json::parse(text, nullptr, false);
    if (!value.is_object()) return 0;
    const auto pid = value.find("pid");
    return pid != value.end() && pid->is_number_integer() ? pid->get<long long>() : 0;
}

} // namespace tune::core
