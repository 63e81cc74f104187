// Saves and loads an ExperimentState in an experiment folder, so that nothing is lost when the
// host dies at any moment.
//
// experiment_state.bin holds a header (magic, format version, payload size, FNV-1a 64-bit
// checksum of the payload) and the payload, a cereal portable binary archive. A save writes
// experiment_state.tmp, syncs it to disk, moves the current copy to experiment_state.prev.bin
// and renames the new one into place, then syncs the folder: at every instant one of the two
// names holds a whole, checked copy. A load that finds the current copy missing, truncated or
// corrupt says why and falls back to the previous one. Corrupt includes a copy with a good
// checksum whose lengths, names or JSON fields are impossible (state_input_archive.hpp,
// state_checks.hpp), and one the caller's acceptance refuses.
#pragma once

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/state/experiment_state.hpp"

namespace tune::core {

// A state file could not be written (full disk, no permission) or read.
class StateError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class StateStore {
public:
    explicit StateStore(std::filesystem::path experiment_dir);

    static constexpr const char *kFileName = "experiment_state.bin";
    static constexpr const char *kPreviousFileName = "experiment_state.prev.bin";

    std::filesystem::path file() const { return dir_ / kFileName; }
    std::filesystem::path previous_file() const { return dir_ / kPreviousFileName; }

    // Whether the folder holds a state file (current or previous copy).
    bool exists() const;

    // Writes state atomically, as described above. Throws StateError naming the file and the
    // system's reason; the copies already on disk are then left as they were.
    void save(const ExperimentState &state);

    struct Loaded {
        ExperimentState state;
        std::filesystem::path file;        // the copy that was used
        std::vector<std::string> warnings; // why the current copy was not used, if it was not
    };
    // The caller's own check of a copy (the experiment definition parses, say): throws what
    // is wrong with it, and the copy counts as corrupt.
    using Acceptance = std::function<void(const ExperimentState &)>;
    // Reads the current copy, or the previous one if the current is missing, corrupt or not
    // accepted. Throws StateError listing what is wrong with each copy when neither can be used.
    Loaded load(const Acceptance &accept = {}) const;

    // The bytes of a state file and back (exposed for tests and benchmarks).
    static std::string encode(const ExperimentState &state);
    // A whole file around payload bytes: header, size and checksum (for tests that forge one).
    static std::string frame(std::string_view payload);
    static constexpr std::size_t kHeaderSize = 8 + 4 + 8 + 8; // magic, version, size, checksum
    // Throws StateError saying what is wrong (bad magic, version, size, checksum, a length
    // past the end, an impossible name or status: state_checks.hpp).
    static ExperimentState decode(const std::string &bytes);

private:
    std::filesystem::path dir_;
};

} // namespace tune::core
