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

} // namespace tune::core
