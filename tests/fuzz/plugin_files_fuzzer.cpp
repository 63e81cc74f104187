// libFuzzer harness: the files about plugins that tune reads back, each as the host reads it.
// The first byte picks one, and the rest is its text:
//   0: what `tune-worker --describe LIB` prints (a child's output, which may be anything);
//   1: the descriptor cache file (plugin-descriptors.json), read, looked up and saved again;
//   2: an experiment's plugins.json, as `tune resume` reads it.
// A description's refusal is std::runtime_error, and the cache never fails; anything else
// escaping is a finding.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "core/plugin/descriptor_cache.hpp"
#include "core/plugin/library_description.hpp"
#include "core/state/plugin_record.hpp"

using namespace tune::core;
namespace fs = std::filesystem;

namespace {

void write(const fs::path &file, const std::string &text) {
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    if (size == 0) return 0;
    static const fs::path dir = fs::temp_directory_path() / ("tune-fuzz-plugin-files-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string text(reinterpret_cast<const char *>(data) + 1, size - 1);
    switch (data[0] % 3) {
    case 0: // a describe child's output
        try {
            const LibraryDescription description = description_from_json(nlohmann::json::parse(text));
            // What was accepted writes back and reads again the same (the cache stores it so).
            const nlohmann::json again = description_to_json(description);
            if (description_to_json(description_from_json(again)) != again) __builtin_trap();
        } catch (const nlohmann::json::parse_error &) {
        } catch (const std::runtime_error &) {
        }
        break;
    case 1: { // the cache file
        write(dir / "plugin-descriptors.json", text);
        DescriptorCache cache(dir);
        (void)cache.find(LibraryIdentity{"/usr/lib/tune/plugins/tune_sample_curve.so", 1, 2, 3, 4});
        cache.save();
        break;
    }
    default: // plugins.json
        write(dir / kPluginRecordFileName, text);
        try {
            (void)read_plugin_record(dir);
        } catch (const std::runtime_error &) {
        }
        break;
    }
    return 0;
}
