#include "core/cli/cli_context.hpp"

#include <cstdlib>

#include <spdlog/spdlog.h>

#include "core/plugin/search_path.hpp"

namespace tune::cli {

core::PluginRegistry CliContext::load_registry() const {
    auto path = core::plugin_search_path(plugin_paths, std::getenv(core::kPluginPathEnv), core::current_executable());
    std::vector<std::string> warnings;
    auto registry = core::PluginRegistry::scan(path, warnings);
    for (const auto &warning : warnings) spdlog::warn("skipped plugin library: {}", warning);
    return registry;
}

} // namespace tune::cli
