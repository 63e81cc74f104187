#include "idx_file.hpp"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace tune::cifar {
namespace {

constexpr std::uint32_t kLabelsMagic = 0x00000801;
constexpr std::uint32_t kImagesMagic = 0x00000803;

[[noreturn]] void fail(const std::filesystem::path &path, const std::string &what) {
    throw IdxFileError(path.string() + ": " + what);
}

std::string hex(std::uint32_t value) {
    char text[11];
    std::snprintf(text, sizeof text, "0x%08x", value);
    return text;
}

// The whole file, decompressed when it is gzip (zlib reads plain files unchanged).
std::vector<std::uint8_t> read_whole(const std::filesystem::path &path) {
    errno = 0;
    gzFile file = gzopen(path.c_str(), "rb");
    if (file == nullptr)
        fail(path, std::string("cannot open: ") + (errno != 0 ? std::strerror(errno) : "out of memory") +
                       "; expected an IDX file (gzip-compressed or not)");
    std::vector<std::uint8_t> bytes;
    std::uint8_t buffer[1 << 16];
    for (;;) {
        const int read = gzread(file, buffer, sizeof buffer);
        if (read < 0) {
            int code = 0;
            const std::string message = gzerror(file, &code);
            gzclose(file);
            fail(path, "cannot read: " + message + "; the file is corrupt or not gzip/IDX");
        }
        if (read == 0) break;
        bytes.insert(bytes.end(), buffer, buffer + read);
    }
    gzclose(file);
    return bytes;
}

std::uint32_t big_endian(const std::vector<std::uint8_t> &bytes, std::size_t offset) {
    return std::uint32_t{bytes[offset]} << 24 | std::uint32_t{bytes[offset + 1]} << 16 |
           std::uint32_t{bytes[offset + 2]} << 8 | std::uint32_t{bytes[offset + 3]};
}

// Checks the magic number and that the header's dimensions fit; returns them.
std::vector<std::size_t> read_header(const std::filesystem::path &path, const std::vector<std::uint8_t> &bytes,
                                     std::uint32_t magic, const char *kind) {
    const std::size_t dimensions = magic & 0xff;
    const std::size_t header_bytes = 4 + 4 * dimensions;
    if (bytes.size() < header_bytes)
        fail(path, "only " + std::to_string(bytes.size()) + " bytes; expected at least the " +
                       std::to_string(header_bytes) + "-byte header of an IDX " + kind + " file");
    const std::uint32_t found = big_endian(bytes, 0);
    if (found != magic)
        fail(path, "magic number " + hex(found) + "; expected " + hex(magic) + " (IDX unsigned-byte " + kind + ")");
    std::vector<std::size_t> sizes;
    std::size_t payload = 1;
    for (std::size_t i = 0; i < dimensions; ++i) {
        sizes.push_back(big_endian(bytes, 4 + 4 * i));
        payload *= sizes.back();
    }
    if (bytes.size() - header_bytes != payload)
        fail(path, std::to_string(bytes.size() - header_bytes) + " bytes of data after the header; expected " +
                       std::to_string(payload) + " for the dimensions in its header");
    return sizes;
}

} // namespace

IdxImages read_idx_images(const std::filesystem::path &path) {
    std::vector<std::uint8_t> bytes = read_whole(path);
    const auto sizes = read_header(path, bytes, kImagesMagic, "images, 3-D");
    IdxImages images;
    images.count = sizes[0];
    images.rows = sizes[1];
    images.columns = sizes[2];
    images.pixels.assign(bytes.begin() + 16, bytes.end());
    return images;
}

std::vector<std::uint8_t> read_idx_labels(const std::filesystem::path &path) {
    std::vector<std::uint8_t> bytes = read_whole(path);
    read_header(path, bytes, kLabelsMagic, "labels, 1-D");
    return std::vector<std::uint8_t>(bytes.begin() + 8, bytes.end());
}

} // namespace tune::cifar
