// The execution backend of one machine: one node (this one), tune-worker processes on it.
#pragma once

#include "core/execution/execution_backend.hpp"

namespace tune::core {

class LocalBackend final : public ExecutionBackend {
public:
    std::vector<NodeResources> nodes() override;
    std::optional<std::string> unshared_folder(const std::filesystem::path &) override { return std::nullopt; }
    std::unique_ptr<TrialExecutor> executor(const WorkerSetup &setup) override;
};

} // namespace tune::core
