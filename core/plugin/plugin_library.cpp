#include "core/plugin/plugin_library.hpp"

#include <dlfcn.h>

#include <fstream>
#include <unordered_set>

#include <boost/dll/shared_library.hpp>
#include <fmt/format.h>

#include "core/plugin/abi_values.hpp"
#include "core/plugin/plugin_error.hpp"
#include "core/plugin/plugin_instance.hpp"

namespace tune::core {
namespace fs = std::filesystem;

namespace {

std::string safe_string(const char *text) { return text ? text : ""; }

} // namespace

std::string dlopen_error(const fs::path &file) {
    ::dlerror();
    void *handle = ::dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle) { // loads now (it changed in between): nothing to say but that
        ::dlclose(handle);
        return "the loader refused it once, then loaded it";
    }
    const char *text = ::dlerror();
    return text ? text : "the loader gave no reason";
}

PluginLibrary::PluginLibrary(fs::path file, boost::dll::shared_library library)
    : file_(std::move(file)), library_(std::move(library)) {}

PluginLibrary::~PluginLibrary() {
    if (initialized_ && entry_->deinit) entry_->deinit();
}

std::shared_ptr<PluginLibrary> PluginLibrary::load(const fs::path &file) {
    std::error_code ec;
    if (!fs::exists(file, ec))
        throw PluginError(fmt::format("plugin file not found: {}", file.string()));
    if (!fs::is_regular_file(file, ec))
        throw PluginError(fmt::format("plugin path is not a regular file: {}", file.string()));

    boost::dll::shared_library library;
    boost::dll::fs::error_code load_error;
    // rtld_now: an unresolved symbol fails here, with a message, not later with a crash.
    library.load(boost::dll::fs::path(file.string()),
                 boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, load_error);
    if (load_error) {
        const std::string said = dlopen_error(file);
        if (!looks_like_elf(file))
            throw PluginError(fmt::format("{} is not a shared library (expected an ELF .so file built "
                                          "with tune_add_plugin); the loader said: {}",
                                          file.string(), said));
        throw PluginLoadError(fmt::format("cannot load plugin library {}: {}", file.string(), said));
    }
    if (!library.has(TUNE_ENTRY_SYMBOL))
        throw PluginError(fmt::format("{} is not a tune plugin: it does not export the entry symbol '{}' "
                                      "(define it with TUNE_PLUGIN_LIBRARY or TUNE_EXPORT)",
                                      file.string(), TUNE_ENTRY_SYMBOL));

    std::shared_ptr<PluginLibrary> self(new PluginLibrary(file, std::move(library)));
    self->entry_ = &self->library_.get<const tune_plugin_entry_t>(TUNE_ENTRY_SYMBOL);
    const tune_plugin_entry_t &entry = *self->entry_;

    // abi_version is the first field in every ABI version: read it before trusting the rest.
    if (entry.abi_version.major != TUNE_ABI_VERSION_MAJOR)
        throw PluginError(fmt::format(
            "{} was built for tune plugin ABI {}.{}, but this host implements ABI {}.{}; the major "
            "versions must match (rebuild the plugin against this SDK)",
            file.string(), entry.abi_version.major, entry.abi_version.minor, TUNE_ABI_VERSION_MAJOR,
            TUNE_ABI_VERSION_MINOR));
    // The growth rule (tune/entry.h): any entry holding the 1.0 fields will do, whatever
    // this host's own sizeof; every field read below is a 1.0 field.
    if (auto problem = undersized("tune_plugin_entry_t", entry.struct_size, TUNE_PLUGIN_ENTRY_SIZE_1_0))
        throw PluginError(fmt::format("{}: malformed plugin entry: {}", file.string(), *problem));
    if (!entry.plugin_count || !entry.plugin_descriptor || !entry.create)
        throw PluginError(fmt::format("{}: malformed plugin entry: plugin_count, plugin_descriptor or create is NULL",
                                      file.string()));

    if (entry.init) {
        tune_error_t error = empty_error();
        std::string path = file.string();
        tune_status_t status = entry.init(path.c_str(), &error);
        if (status != TUNE_OK)
            throw PluginError(fmt::format("{}: plugin library init failed [{}]: {}", file.string(),
                                          statuses().describe(status), error_text(error)));
    }
    self->initialized_ = true;

    std::unordered_set<std::string> seen;
    const uint32_t count = entry.plugin_count();
    for (uint32_t i = 0; i < count; ++i) {
        const tune_plugin_descriptor_t *d = entry.plugin_descriptor(i);
        if (!d) throw PluginError(fmt::format("{}: plugin_descriptor({}) returned NULL", file.string(), i));
        if (auto problem = undersized("tune_plugin_descriptor_t", d->struct_size, TUNE_PLUGIN_DESCRIPTOR_SIZE_1_0))
            throw PluginError(fmt::format("{}: plugin_descriptor({}): {}", file.string(), i, *problem));
        if (!d->id || !*d->id)
            throw PluginError(fmt::format("{}: plugin_descriptor({}) has no id", file.string(), i));
        if (!plugin_kinds().contains(d->kind))
            throw PluginError(fmt::format("{}: plugin_descriptor({}) returned plugin '{}' with {}", file.string(), i,
                                          d->id, plugin_kinds().unexpected(d->kind)));
        if (!seen.insert(d->id).second)
            throw PluginError(fmt::format("duplicate plugin id '{}': declared twice in {}", d->id,
                                          file.string()));
        PluginInfo info{d->id, d->kind, safe_string(d->version), safe_string(d->description), file, {}};
        if (TUNE_STRUCT_HAS_FIELD(d, tune_plugin_descriptor_t, example_config))
            info.example_config = safe_string(d->example_config);
        self->plugins_.push_back(std::move(info));
    }
    return self;
}

const PluginInfo *PluginLibrary::find(std::string_view id) const {
    for (const auto &info : plugins_)
        if (info.id == id) return &info;
    return nullptr;
}

std::unique_ptr<PluginInstance> PluginLibrary::create(std::string_view id, const tune_host_t *host) {
    const PluginInfo *info = find(id);
    if (!info)
        throw PluginError(fmt::format("{} has no plugin '{}'", file_.string(), id));
    tune_plugin_t *raw = nullptr;
    tune_error_t error = empty_error();
    std::string id_text(id);
    tune_status_t status = entry_->create(host, id_text.c_str(), &raw, &error);
    if (status != TUNE_OK || !raw) {
        if (raw && raw->destroy) raw->destroy(raw);
        throw PluginCallError(statuses().contains(status) && status != TUNE_OK ? status : TUNE_ERROR_INTERNAL,
                              fmt::format("plugin '{}' ({}): create failed [{}]: {}", id, file_.string(),
                                          statuses().describe(status),
                                          status == TUNE_OK ? "returned no instance" : error_text(error)));
    }
    // Nothing of an instance too small to hold the 1.0 fields is trusted, not even destroy.
    if (auto problem = undersized("tune_plugin_t", raw->struct_size, TUNE_PLUGIN_SIZE_1_0))
        throw PluginError(fmt::format("plugin '{}' ({}): create returned a malformed instance: {}", id, file_.string(),
                                      *problem));
    if (!raw->destroy || !raw->get_interface)
        throw PluginError(fmt::format("plugin '{}' ({}): create returned a malformed instance: destroy or "
                                      "get_interface is NULL",
                                      id, file_.string()));
    return std::make_unique<PluginInstance>(shared_from_this(), raw, *info);
}

bool looks_like_elf(const fs::path &file) {
    std::ifstream in(file, std::ios::binary);
    char magic[4] = {};
    in.read(magic, 4);
    return in.gcount() == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
}

} // namespace tune::core
