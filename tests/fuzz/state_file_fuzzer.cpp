// libFuzzer harness: the experiment state file and its previous copy, as `tune resume` loads
// them: the input is split in two (its first four bytes say where) and written as
// experiment_state.bin and experiment_state.prev.bin; StateStore::load picks a copy, and the
// resumed run then rebuilds the definition and every trial from it. An input that starts with
// "PAYLOAD:" is instead a payload given a right checksum (a forged file). StateError is the
// answer to unusable copies; anything else escaping is a finding.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "core/config/experiment_json.hpp"
#include "core/engine/trial_state_codec.hpp"
#include "core/state/state_store.hpp"

using namespace tune::core;
namespace fs = std::filesystem;

namespace {

// A decoded state as the resumed run uses it.
void rebuild(const ExperimentState &state, const fs::path &dir) {
    for (const TrialState &trial : state.trials) (void)decode_trial(trial, dir);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    static const fs::path dir = fs::temp_directory_path() / ("tune-fuzz-state-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    // "PAYLOAD:" then bytes: framed with a right checksum, so that mutations reach the reader
    // and the checks behind it (a forged file, as a checksum cannot stop).
    constexpr std::string_view kPayload = "PAYLOAD:";
    if (std::string_view(reinterpret_cast<const char *>(data), size).substr(0, kPayload.size()) == kPayload) {
        try {
            rebuild(StateStore::decode(StateStore::frame(
                        std::string_view(reinterpret_cast<const char *>(data) + kPayload.size(), size - kPayload.size()))),
                    dir);
        } catch (const StateError &) {
        }
        return 0;
    }
    // The first 4 bytes (little-endian) are the current copy's length; the rest after it is
    // the previous copy.
    const std::string bytes(reinterpret_cast<const char *>(data), size);
    std::uint32_t current_size = 0;
    for (std::size_t i = 0; i < 4 && i < size; ++i) current_size |= std::uint32_t{data[i]} << (8 * i);
    const std::string rest = size > 4 ? bytes.substr(4) : std::string();
    const std::string current = rest.substr(0, std::min<std::size_t>(current_size, rest.size()));
    const StateStore store(dir);
    std::ofstream(store.file(), std::ios::binary | std::ios::trunc) << current;
    std::ofstream(store.previous_file(), std::ios::binary | std::ios::trunc) << rest.substr(current.size());
    try {
        const StateStore::Loaded loaded = store.load([](const ExperimentState &state) {
            (void)experiment_from_json(nlohmann::json::parse(state.experiment_json));
        });
        rebuild(loaded.state, dir);
    } catch (const StateError &) {
    }
    return 0;
}
