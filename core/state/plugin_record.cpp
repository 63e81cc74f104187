#include "core/state/plugin_record.hpp"

#include <cstdint>
#include <fstream>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tune::core {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// A record larger than this is not one tune wrote (three ids and paths).
constexpr std::uintmax_t kMaxRecordBytes = 1 << 20;

} // namespace

void write_plugin_record(const fs::path &dir, const std::vector<RecordedPlugin> &plugins) {
    json record = json::object();
    // Absolute: a resume may start in another folder than the run did.
    for (const auto &plugin : plugins)
        record[plugin.role] = {{"id", plugin.id}, {"file", fs::absolute(plugin.file).lexically_normal().string()}};
    const fs::path file = dir / kPluginRecordFileName, temporary = dir / (std::string(kPluginRecordFileName) + ".tmp");
    {
        std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
        out << record.dump(2) << "\n";
        if (!out.flush()) throw std::runtime_error(fmt::format("cannot write {}", temporary.string()));
    }
    std::error_code ec;
    fs::rename(temporary, file, ec);
    if (ec) throw std::runtime_error(fmt::format("cannot write {}: {}", file.string(), ec.message()));
}

std::vector<RecordedPlugin> read_plugin_record(const fs::path &dir) {
    const fs::path file = dir / kPluginRecordFileName;
    std::error_code ec;
    if (!fs::exists(file, ec)) return {};
    if (!fs::is_regular_file(file, ec) || fs::file_size(file, ec) > kMaxRecordBytes)
        throw std::runtime_error(fmt::format("{} is not a plugin record (a JSON file of at most 1 MiB)", file.string()));
    std::ifstream in(file, std::ios::binary);
    const json record = json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!record.is_object())
        throw std::runtime_error(fmt::format("{} is corrupt: expected a JSON object", file.string()));
    std::vector<RecordedPlugin> plugins;
    for (const char *role : {"trainable", "searcher", "scheduler"}) {
        const auto entry = record.find(role);
        if (entry == record.end()) continue;
        const bool well_formed = entry->is_object() && entry->contains("id") && entry->at("id").is_string() &&
                                 entry->contains("file") && entry->at("file").is_string();
        if (!well_formed)
            throw std::runtime_error(
                fmt::format("{} is corrupt: \"{}\" must be an object with strings \"id\" and \"file\"", file.string(), role));
        plugins.push_back({role, entry->at("id").get<std::string>(), entry->at("file").get<std::string>()});
    }
    return plugins;
}

} // namespace tune::core
