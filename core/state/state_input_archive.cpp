#include "core/state/state_input_archive.hpp"

#include <fmt/format.h>

namespace tune::core {

namespace {

bool machine_is_little_endian() {
    const std::uint16_t one = 1;
    unsigned char first = 0;
    std::memcpy(&first, &one, 1);
    return first == 1;
}

} // namespace

StateInputArchive::StateInputArchive(std::string_view payload, std::uint32_t format)
    : payload_(payload), format_(format) {
    std::uint8_t little_endian = 0;
    load(little_endian);
    if (little_endian > 1)
        throw StateFormatError(fmt::format("byte order flag {} at offset 0 (expected 0 or 1)", little_endian));
    swap_bytes_ = (little_endian == 1) != machine_is_little_endian();
}

void StateInputArchive::load(std::string &text) {
    const std::uint64_t size = length("a string");
    text.assign(payload_.substr(at_, static_cast<std::size_t>(size)));
    at_ += static_cast<std::size_t>(size);
}

std::uint64_t StateInputArchive::length(const char *what) {
    const std::size_t offset = at_;
    std::uint64_t count = 0;
    load(count);
    if (count > bytes_left())
        throw StateFormatError(fmt::format("{} of {} at offset {} would run past the end of the state ({} bytes left)",
                                           what, count, offset, bytes_left()));
    return count;
}

void StateInputArchive::read(void *out, std::size_t size, const char *what) {
    if (size > bytes_left())
        throw StateFormatError(fmt::format("{} at offset {} runs past the end of the state", what, at_));
    std::memcpy(out, payload_.data() + at_, size);
    at_ += size;
}

} // namespace tune::core
