#include "cifar_writer.hpp"

#include "cifar_format.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

namespace tune::cifar {
namespace {

[[noreturn]] void fail(const std::filesystem::path &path, const std::string &what) {
    throw CifarWriteError(path.string() + ": " + what);
}

} // namespace

WrittenFile write_cifar_file(const std::filesystem::path &dir, const std::string &name,
                             const std::vector<std::uint8_t> &records) {
    const std::filesystem::path target = dir / name;
    if (records.empty() || records.size() % kRecordBytes != 0)
        fail(target, "refusing to write " + std::to_string(records.size()) +
                         " bytes; expected a positive multiple of the " + std::to_string(kRecordBytes) +
                         "-byte record");

    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) fail(dir, "cannot create the folder: " + ec.message());

    const std::filesystem::path temporary = dir / (name + ".tmp");
    std::FILE *file = std::fopen(temporary.c_str(), "wb");
    if (file == nullptr) fail(temporary, std::string("cannot create: ") + std::strerror(errno));
    const bool written = std::fwrite(records.data(), 1, records.size(), file) == records.size();
    const int write_errno = errno;
    const bool closed = std::fclose(file) == 0;
    if (!written || !closed) {
        const int error = written ? errno : write_errno;
        std::filesystem::remove(temporary, ec);
        fail(temporary, std::string("cannot write: ") + std::strerror(error));
    }
    std::filesystem::rename(temporary, target, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(temporary, ignored);
        fail(target, "cannot rename " + temporary.string() + " into place: " + ec.message());
    }
    return WrittenFile{target, records.size() / kRecordBytes};
}

std::array<std::size_t, 5> train_file_counts(std::size_t total) {
    std::array<std::size_t, 5> counts{};
    for (std::size_t i = 0; i < counts.size(); ++i) counts[i] = total / counts.size() + (i < total % counts.size());
    return counts;
}

} // namespace tune::cifar
