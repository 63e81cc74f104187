#include "core/engine/trial.hpp"

namespace tune::core {

const char *status_name(TrialStatus status) {
    switch (status) {
    case TrialStatus::Pending: return "PENDING";
    case TrialStatus::Running: return "RUNNING";
    case TrialStatus::Paused: return "PAUSED";
    case TrialStatus::Terminated: return "TERMINATED";
    case TrialStatus::Error: return "ERROR";
    }
    return "UNKNOWN";
}

} // namespace tune::core
