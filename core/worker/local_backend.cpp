#include "core/worker/local_backend.hpp"

#include "core/worker/local_executor.hpp"

namespace tune::core {

std::vector<NodeResources> LocalBackend::nodes() {
    return {local_node(detect_cpus(), detect_gpus())};
}

std::unique_ptr<TrialExecutor> LocalBackend::executor(const WorkerSetup &setup) {
    return std::make_unique<LocalExecutor>(setup);
}

} // namespace tune::core
