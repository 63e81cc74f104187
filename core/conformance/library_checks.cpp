#include "core/conformance/library_checks.hpp"

#include <cstring>
#include <optional>
#include <regex>
#include <set>

#include <boost/dll/shared_library.hpp>
#include <fmt/format.h>

#include "core/conformance/check_result.hpp"
#include "core/plugin/abi_values.hpp"
#include "core/plugin/plugin_instance.hpp"
#include "core/plugin/plugin_library.hpp"
#include "core/plugin/plugin_library.hpp"

namespace tune::conformance {

namespace fs = std::filesystem;

namespace {

// Loads the library and finds its entry, or fails the check saying which step went wrong.
struct OpenedLibrary {
    boost::dll::shared_library library;
    const tune_plugin_entry_t *entry = nullptr;
};

OpenedLibrary open_library(const fs::path &file) {
    std::error_code ec;
    if (!fs::exists(file, ec)) throw CheckFailure{fmt::format("{} does not exist", file.string())};
    if (!fs::is_regular_file(file, ec)) throw CheckFailure{fmt::format("{} is not a regular file", file.string())};
    if (!core::looks_like_elf(file))
        throw CheckFailure{fmt::format("{} is not a shared library (no ELF header); build it with tune_add_plugin",
                                       file.string())};
    OpenedLibrary opened;
    boost::dll::fs::error_code error;
    opened.library.load(boost::dll::fs::path(file.string()),
                        boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, error);
    if (error) throw CheckFailure{fmt::format("dlopen failed: {}", core::dlopen_error(file))};
    if (!opened.library.has(TUNE_ENTRY_SYMBOL))
        throw CheckFailure{fmt::format("the library does not export '{}' (define it with TUNE_PLUGIN_LIBRARY, "
                                       "or TUNE_EXPORT in C)",
                                       TUNE_ENTRY_SYMBOL)};
    opened.entry = &opened.library.get<const tune_plugin_entry_t>(TUNE_ENTRY_SYMBOL);
    return opened;
}

std::string version_text(const tune_abi_version_t &v) { return fmt::format("{}.{}.{}", v.major, v.minor, v.patch); }

// Why the entry cannot be used, or empty: the major version, a struct_size below 1.0's (the
// growth rule in tune/entry.h: never sizeof this host's entry) or a NULL function.
std::optional<std::string> unusable(const tune_plugin_entry_t &entry) {
    const tune_abi_version_t host = TUNE_ABI_VERSION_INIT;
    // abi_version is the first field in every ABI version: nothing else may be read before it.
    if (entry.abi_version.major != host.major)
        return fmt::format("built for plugin ABI {}, this host implements {}: the major versions must match (rebuild "
                           "against this SDK)",
                           version_text(entry.abi_version), version_text(host));
    if (auto problem = core::undersized("tune_plugin_entry_t", entry.struct_size, TUNE_PLUGIN_ENTRY_SIZE_1_0))
        return problem;
    if (!entry.plugin_count || !entry.plugin_descriptor || !entry.create)
        return "the entry has a NULL plugin_count, plugin_descriptor or create";
    return std::nullopt;
}

// A descriptor's example config (ABI 1.6): a JSON object, or the check fails naming the plugin.
nlohmann::json parse_example_config(const char *id, const char *text) {
    nlohmann::json config;
    try {
        config = nlohmann::json::parse(text);
    } catch (const nlohmann::json::exception &e) {
        throw CheckFailure{fmt::format("descriptor '{}': example_config is not valid JSON: {}", id, e.what())};
    }
    if (!config.is_object())
        throw CheckFailure{
            fmt::format("descriptor '{}': example_config must be a JSON object, got {}", id, config.type_name())};
    return config;
}

} // namespace

CheckNote check_load(const CheckSubject &subject) {
    open_library(subject.library);
    return {fmt::format("loads with RTLD_NOW and exports {}", TUNE_ENTRY_SYMBOL)};
}

CheckNote check_abi_version(const CheckSubject &subject) {
    OpenedLibrary opened = open_library(subject.library);
    const tune_plugin_entry_t &entry = *opened.entry;
    const tune_abi_version_t host = TUNE_ABI_VERSION_INIT;
    if (auto problem = unusable(entry)) throw CheckFailure{*problem};
    std::string note = fmt::format("ABI {} (host {})", version_text(entry.abi_version), version_text(host));
    if (entry.abi_version.minor > host.minor) note += "; newer minor than the host: newer features are ignored";
    return {note};
}

CheckNote check_descriptors(const CheckSubject &subject) {
    OpenedLibrary opened = open_library(subject.library);
    const tune_plugin_entry_t &entry = *opened.entry;
    if (unusable(entry)) throw CheckFailure{"the entry is not usable (see abi_version)"};
    if (entry.init) {
        tune_error_t error = core::empty_error();
        std::string path = subject.library.string();
        tune_status_t status = entry.init(path.c_str(), &error);
        if (status != TUNE_OK)
            throw CheckFailure{
                fmt::format("init failed [{}]: {}", core::statuses().describe(status), core::error_text(error))};
    }
    const uint32_t count = entry.plugin_count();
    if (count == 0) throw CheckFailure{"plugin_count() is 0: the library holds no plugin"};
    if (count > 10000) throw CheckFailure{fmt::format("plugin_count() is {}: implausible", count)};

    static const std::regex reverse_domain(R"([A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)+)");
    std::set<std::string> seen;
    nlohmann::json plugins = nlohmann::json::array();
    std::string names;
    for (uint32_t i = 0; i < count; ++i) {
        const tune_plugin_descriptor_t *d = entry.plugin_descriptor(i);
        if (!d) throw CheckFailure{fmt::format("plugin_descriptor({}) is NULL, but plugin_count() is {}", i, count)};
        auto problem = core::undersized("tune_plugin_descriptor_t", d->struct_size, TUNE_PLUGIN_DESCRIPTOR_SIZE_1_0);
        if (problem)
            throw CheckFailure{fmt::format("plugin_descriptor({}): {}", i, *problem)};
        if (!d->id || !std::regex_match(d->id, reverse_domain))
            throw CheckFailure{fmt::format("descriptor {}: id '{}' is not a reverse-domain name such as "
                                           "org.example.my_trainable",
                                           i, d->id ? d->id : "(NULL)")};
        if (!core::plugin_kinds().contains(d->kind))
            throw CheckFailure{fmt::format("plugin_descriptor({}) returned plugin '{}' with {}", i, d->id,
                                           core::plugin_kinds().unexpected(d->kind))};
        if (!d->version || !*d->version)
            throw CheckFailure{fmt::format("descriptor '{}': version is NULL or empty", d->id)};
        if (!d->description || !*d->description || std::strchr(d->description, '\n'))
            throw CheckFailure{fmt::format("descriptor '{}': description must be one non-empty line", d->id)};
        if (!seen.insert(d->id).second)
            throw CheckFailure{fmt::format("plugin id '{}' is declared twice in this library", d->id)};
        nlohmann::json plugin{{"id", d->id}, {"kind", d->kind}};
        if (TUNE_STRUCT_HAS_FIELD(d, tune_plugin_descriptor_t, example_config) && d->example_config)
            plugin["example_config"] = parse_example_config(d->id, d->example_config);
        plugins.push_back(std::move(plugin));
        names += fmt::format("{}{} ({})", names.empty() ? "" : ", ", d->id, core::kind_name(d->kind));
    }
    if (entry.plugin_descriptor(count) != nullptr)
        throw CheckFailure{fmt::format("plugin_descriptor({}) (out of range) is not NULL", count)};
    if (entry.deinit) entry.deinit();
    return {fmt::format("{} plugin{}: {}", count, count == 1 ? "" : "s", names), {{"plugins", plugins}}};
}

} // namespace tune::conformance
