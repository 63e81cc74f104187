#include "core/cli/plugins_command.hpp"

#include <algorithm>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/cli/exit_codes.hpp"
#include "core/plugin/abi_values.hpp"
#include "core/plugin/plugin_error.hpp"

namespace tune::cli {

namespace {

struct PluginsOptions {
    bool json = false;
    std::string example; // --example ID
};

// The plugin's example config as a JSON object, or nullopt with the reason in *why.
std::optional<nlohmann::json> parsed_example(const core::PluginInfo &plugin, std::string *why) {
    if (plugin.example_config.empty()) {
        *why = "publishes no example config";
        return std::nullopt;
    }
    auto config = nlohmann::json::parse(plugin.example_config, nullptr, /*allow_exceptions=*/false);
    if (!config.is_object()) {
        *why = "has an example config that is not a JSON object (tune check-plugin " + plugin.file.string() +
               " says why)";
        return std::nullopt;
    }
    return config;
}

// --example ID: the config that `tune check-plugin` would use, ready to adapt.
int print_example(const core::PluginRegistry &registry, const std::string &name) {
    const core::PluginInfo *plugin = nullptr;
    try {
        plugin = &registry.resolve(name);
    } catch (const core::PluginError &e) {
        std::cerr << "tune: error: --example: " << e.what() << "\n";
        return kExitPlugin;
    }
    std::string why;
    auto config = parsed_example(*plugin, &why);
    if (!config) {
        std::cerr << fmt::format("tune: error: --example: {} ({}) {}\n", plugin->id, plugin->file.string(), why);
        return kExitFailure;
    }
    std::cout << config->dump(2) << "\n";
    return kExitSuccess;
}

int run_plugins(const CliContext &context, const PluginsOptions &options) {
    auto registry = context.load_registry();
    if (!options.example.empty()) return print_example(registry, options.example);
    auto plugins = registry.plugins();
    if (options.json) {
        auto list = nlohmann::json::array();
        for (const auto &p : plugins) {
            nlohmann::json item{{"id", p.id}, {"kind", core::kind_name(p.kind)}, {"version", p.version},
                                {"description", p.description}, {"file", p.file.string()}};
            std::string why;
            if (auto example = parsed_example(p, &why)) item["example_config"] = *example;
            list.push_back(std::move(item));
        }
        // A plugin's strings need not be UTF-8: bad bytes are printed as U+FFFD.
        std::cout << list.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
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
    cmd->add_flag("--json", options->json, "Print the list as JSON (with each plugin's example config)");
    cmd->add_option("--example", options->example,
                    "Print the example config the plugin publishes (what tune check-plugin uses without --config)")
        ->type_name("ID");
    cmd->callback([&context, options, exit_code] { *exit_code = run_plugins(context, *options); });
}

} // namespace tune::cli
