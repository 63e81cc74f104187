// One memory-mapped CIFAR-10 binary batch file (data_batch_N.bin or test_batch.bin).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace tune::cifar {

// A file that is missing, unreadable, of the wrong size or holds a label outside 0..9. The
// message names the file, what was expected and what was found.
class CifarFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One image: its label (0..9) and its 3072 pixel bytes (1024 R, 1024 G, 1024 B, each plane
// row-major 32x32). `pixels` points into the mapping and lives as long as the CifarFile.
struct CifarRecord {
    std::uint8_t label;
    const std::uint8_t *pixels;
};

// Maps the file read-only and shared (MAP_SHARED), so trials in different processes reading
// the same file share one copy in the page cache. Every label is checked when opening.
class CifarFile {
public:
    explicit CifarFile(const std::filesystem::path &path);
    ~CifarFile();
    CifarFile(CifarFile &&other) noexcept;
    CifarFile &operator=(CifarFile &&other) noexcept;
    CifarFile(const CifarFile &) = delete;
    CifarFile &operator=(const CifarFile &) = delete;

    const std::filesystem::path &path() const { return path_; }
    std::size_t size() const { return record_count_; }
    // Throws std::out_of_range when index >= size().
    CifarRecord record(std::size_t index) const;

private:
    void unmap() noexcept;

    std::filesystem::path path_;
    const std::uint8_t *data_ = nullptr;
    std::size_t byte_count_ = 0;
    std::size_t record_count_ = 0;
};

} // namespace tune::cifar
