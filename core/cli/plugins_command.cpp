#include "core/cli/plugins_command.hpp"

#include <algorithm>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/cli/exit_codes.hpp"
#include "core/plugin/abi_values.hpp"

namespace tune::cli {

namespace {

struct PluginsOptions {
    bool json = false;
};

int run_plugins(const CliContext &context, const PluginsOptions &options) {
    auto registry = context.load_registry();
    auto plugins = registry.plugins();
    if (options.json) {
        auto list = nlohmann::json::array();
        for (const auto &p : plugins)
            list.push_back({{"id", p.id}, {"kind", core::kind_name(p.kind)}, {"version", p.version},
                            {"description", p.description}, {"file", p.file.string()}});
        std::cout << list.dump(2) << "\n";
        return kExitSuccess;
    }
    if (plugins.empty()) {
        std::cout << "No plugins found. Searched:\n";
        for (const auto &dir : registry.searched()) std::cout << "  " << dir.string() << "\n";
        return kExitSuccess;
    }
    size_t id_width = 2, version_width = 7;
    for (const auto &p : plugins) {
        id_width = std::max(id_width, p.id.size());
        version_width = std::max(version_width, p.version.size());
    }
    std::cout << fmt::format("{:<{}}  {:<9}  {:<{}}  {}\n", "ID", id_width, "KIND", "VERSION", version_width,
                             "DESCRIPTION / FILE");
    for (const auto &p : plugins) {
        std::cout << fmt::format("{:<{}}  {:<9}  {:<{}}  {}\n", p.id, id_width, core::kind_name(p.kind), p.version,
                                 version_width, p.description);
        std::cout << fmt::format("{:<{}}  {}\n", "", id_width + 9 + version_width + 4, p.file.string());
    }
    return kExitSuccess;
}

} // namespace

void add_plugins_command(CLI::App &app, const CliContext &context, int *exit_code) {
    auto options = std::make_shared<PluginsOptions>();
    auto *cmd = app.add_subcommand("plugins", "List the plugins found on the plugin search path");
    cmd->add_flag("--json", options->json, "Print the list as JSON");
    cmd->callback([&context, options, exit_code] { *exit_code = run_plugins(context, *options); });
}

} // namespace tune::cli
