// libFuzzer harness: an experiment file (TOML text) through the loader and its validation, as
// `tune validate FILE --set ...` reads it. Leading lines "#set KEY=VALUE" (TOML comments, so
// the rest of the file is unchanged) are also passed as --set overrides. A ConfigError is the
// loader's answer to bad input; anything else escaping it is a finding.
#include <unistd.h>

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "core/config/experiment_loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string text(reinterpret_cast<const char *>(data), size);
    std::vector<std::string> overrides;
    for (std::size_t at = 0; text.compare(at, 5, "#set ") == 0;) {
        const std::size_t end = text.find('\n', at);
        overrides.push_back(text.substr(at + 5, end == std::string::npos ? std::string::npos : end - at - 5));
        if (end == std::string::npos) break;
        at = end + 1;
    }
    static const std::string file = "/tmp/tune-fuzz-experiment-" + std::to_string(::getpid()) + ".toml";
    std::ofstream(file, std::ios::binary | std::ios::trunc) << text;
    try {
        tune::core::load_experiment(file, overrides, nullptr);
    } catch (const tune::core::ConfigError &) {
    }
    return 0;
}
