#include "core/cli/cli_context.hpp"

#include <cstdlib>
#include <sstream>
#include <string_view>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/plugin/descriptor_cache.hpp"
#include "core/plugin/search_path.hpp"
#include "core/plugin/worker_describer.hpp"

namespace tune::cli {
namespace fs = std::filesystem;

namespace {

bool in_process_scan_forced() {
    const char *value = std::getenv(kPluginScanEnv);
    return value && std::string_view(value) == "in-process";
}

} // namespace

core::PluginRegistry CliContext::load_registry() const {
    const fs::path executable = core::current_executable();
    auto path = core::plugin_search_path(plugin_paths, std::getenv(core::kPluginPathEnv), executable);
    std::vector<std::string> warnings;
    const fs::path worker = executable.parent_path() / "tune-worker";
    std::error_code ec;
    auto scan = [&]() -> core::PluginRegistry {
        if (in_process_scan_forced()) return core::PluginRegistry::scan(path, warnings);
        if (!fs::exists(worker, ec)) {
            spdlog::debug("no {} beside tune: plugin libraries are loaded into tune to read them", worker.string());
            return core::PluginRegistry::scan(path, warnings);
        }
        core::WorkerDescriber in_child(worker, core::kDescribeTimeoutS);
        core::DescriptorCache cache(core::default_cache_dir());
        core::CachingDescriber cached(cache, in_child);
        auto registry = core::PluginRegistry::scan(path, warnings, cached);
        cache.save();
        spdlog::debug("plugin scan: {} librar{} described in a child process, cache {}", in_child.children_started(),
                      in_child.children_started() == 1 ? "y" : "ies",
                      cache.file().empty() ? std::string("off (no HOME)") : cache.file().string());
        return registry;
    };
    auto registry = scan();
    for (const auto &warning : warnings) spdlog::warn("skipped plugin library: {}", warning);
    return registry;
}

const core::PluginRegistry &CliContext::registry() const {
    if (!registry_) registry_ = std::make_shared<core::PluginRegistry>(load_registry());
    return *registry_;
}

std::string missing_plugin_path(const std::string &value) {
    std::stringstream entries(value);
    std::string entry;
    while (std::getline(entries, entry, ':')) {
        std::error_code ec;
        if (!entry.empty() && !fs::exists(entry, ec))
            return fmt::format("plugin path {} does not exist (--plugin-path takes folders of plugin libraries or "
                               "library files)",
                               entry);
    }
    return {};
}

} // namespace tune::cli
