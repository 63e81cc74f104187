#include "core/state/state_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include <cereal/archives/portable_binary.hpp>
#include <fmt/format.h>

#include "core/state/durable_files.hpp"
#include "core/state/state_checks.hpp"
#include "core/state/state_input_archive.hpp"

namespace tune::core {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[8] = {'T', 'U', 'N', 'E', 'S', 'T', 'A', 'T'};
static_assert(StateStore::kHeaderSize == sizeof kMagic + 4 + 8 + 8);
constexpr std::size_t kHeaderSize = StateStore::kHeaderSize;

std::uint64_t fnv1a64(const char *data, std::size_t size) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;
    for (std::size_t i = 0; i < size; ++i) {
        hash ^= static_cast<unsigned char>(data[i]);
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

template <class T> void put_le(std::string &out, T value) {
    for (std::size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

template <class T> T get_le(const std::string &in, std::size_t offset) {
    T value = 0;
    for (std::size_t i = 0; i < sizeof(T); ++i)
        value |= static_cast<T>(static_cast<unsigned char>(in[offset + i])) << (8 * i);
    return value;
}

std::string system_error(const std::string &what, const fs::path &path) {
    return fmt::format("cannot {} {}: {}", what, path.string(), std::strerror(errno));
}

// Writes bytes to path and syncs them to disk.
void write_synced(const fs::path &path, const std::string &bytes) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw StateError(system_error("write the experiment state to", path));
    std::size_t written = 0;
    while (written < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            StateError error(system_error("write the experiment state to", path));
            ::close(fd);
            ::unlink(path.c_str());
            throw error;
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        StateError error(system_error("sync the experiment state to", path));
        ::close(fd);
        ::unlink(path.c_str());
        throw error;
    }
    ::close(fd);
}

ExperimentState read_copy(const fs::path &file, const StateStore::Acceptance &accept) {
    std::error_code ec;
    const auto status = fs::status(file, ec);
    if (!fs::exists(status)) throw StateError("missing");
    if (!fs::is_regular_file(status)) throw StateError("not a regular file (a folder or a device)");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw StateError(system_error("read", file));
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) throw StateError(system_error("read", file));
    ExperimentState state = StateStore::decode(bytes);
    if (accept) {
        try {
            accept(state);
        } catch (const std::exception &e) {
            throw StateError(std::string("corrupt: ") + e.what());
        }
    }
    return state;
}

} // namespace

StateStore::StateStore(fs::path experiment_dir) : dir_(std::move(experiment_dir)) {}

bool StateStore::exists() const {
    std::error_code ec;
    return fs::exists(file(), ec) || fs::exists(previous_file(), ec);
}

std::string StateStore::encode(const ExperimentState &state) {
    std::ostringstream payload;
    {
        cereal::PortableBinaryOutputArchive archive(payload);
        archive(state);
    }
    return frame(payload.str());
}

std::string StateStore::frame(std::string_view payload) {
    std::string bytes(kMagic, sizeof kMagic);
    put_le<std::uint32_t>(bytes, kStateFormatVersion);
    put_le<std::uint64_t>(bytes, payload.size());
    put_le<std::uint64_t>(bytes, fnv1a64(payload.data(), payload.size()));
    bytes += payload;
    return bytes;
}

ExperimentState StateStore::decode(const std::string &bytes) {
    if (bytes.empty()) throw StateError("empty");
    if (bytes.size() < sizeof kMagic || std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0)
        throw StateError("not a tune state file (bad header)");
    if (bytes.size() < kHeaderSize)
        throw StateError(fmt::format("truncated: {} bytes, shorter than the header", bytes.size()));
    const auto version = get_le<std::uint32_t>(bytes, sizeof kMagic);
    if (version < 1 || version > kStateFormatVersion)
        throw StateError(fmt::format("state format version {}, this tune reads versions 1 to {}", version,
                                     kStateFormatVersion));
    const auto size = get_le<std::uint64_t>(bytes, sizeof kMagic + 4);
    const auto checksum = get_le<std::uint64_t>(bytes, sizeof kMagic + 12);
    if (bytes.size() - kHeaderSize != size)
        throw StateError(fmt::format("truncated or padded: the header says {} bytes of state, the file has {}", size,
                                     bytes.size() - kHeaderSize));
    if (fnv1a64(bytes.data() + kHeaderSize, size) != checksum) throw StateError("corrupt: checksum mismatch");
    ExperimentState state;
    try {
        StateInputArchive archive(std::string_view(bytes).substr(kHeaderSize), version);
        archive(state);
        if (archive.bytes_left() != 0)
            throw StateFormatError(fmt::format("{} bytes after the state's last field", archive.bytes_left()));
        check_state(state);
    } catch (const StateFormatError &e) {
        throw StateError(std::string("corrupt: ") + e.what());
    }
    return state;
}

void StateStore::save(const ExperimentState &state) {
    const std::string bytes = encode(state);
    const fs::path temporary = dir_ / "experiment_state.tmp";
    write_synced(temporary, bytes);
    std::error_code ec;
    if (fs::exists(file(), ec)) {
        fs::rename(file(), previous_file(), ec);
        if (ec) {
            fs::remove(temporary, ec);
            throw StateError(fmt::format("cannot keep the previous experiment state as {}: {}",
                                         previous_file().string(), ec.message()));
        }
    }
    fs::rename(temporary, file(), ec);
    if (ec) throw StateError(fmt::format("cannot move the experiment state into place at {}: {}", file().string(),
                                         ec.message()));
    sync_folder(dir_);
}

StateStore::Loaded StateStore::load(const Acceptance &accept) const {
    Loaded loaded;
    std::string current_problem;
    try {
        loaded.state = read_copy(file(), accept);
        loaded.file = file();
        return loaded;
    } catch (const StateError &e) {
        current_problem = e.what();
    }
    try {
        loaded.state = read_copy(previous_file(), accept);
        loaded.file = previous_file();
    } catch (const StateError &e) {
        throw StateError(fmt::format("no usable experiment state in {}: {} is {}; {} is {}", dir_.string(),
                                     kFileName, current_problem, kPreviousFileName, e.what()));
    }
    loaded.warnings.push_back(fmt::format("the experiment state {} is {}; using the previous copy {} (save {})",
                                          file().string(), current_problem, previous_file().string(),
                                          loaded.state.sequence));
    return loaded;
}

} // namespace tune::core
