// Reads the state payload that cereal's PortableBinaryOutputArchive wrote, for the state's own
// types (numbers, strings, vectors, optionals and structs with a serialize member), and never
// trusts a length field: a string may claim at most the bytes left in the payload, and a
// vector's elements are read one at a time, so memory grows only with bytes actually read. A
// file whose checksum was recomputed around a 2^40-byte "string" is refused before anything is
// allocated. (cereal's own reader resizes to the claimed length first.)
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace tune::core {

// A payload that is not what the format says: thrown with what and where.
class StateFormatError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class StateInputArchive {
public:
    using is_loading = std::true_type;
    using is_saving = std::false_type;

    // payload is borrowed for the archive's lifetime; format is the file's format version.
    // Reads the byte order flag that cereal writes first.
    StateInputArchive(std::string_view payload, std::uint32_t format);

    std::uint32_t format() const { return format_; }
    std::size_t bytes_left() const { return payload_.size() - at_; }

    template <class... Values> void operator()(Values &...values) { (load(values), ...); }

private:
    template <class T> void load(T &value) {
        if constexpr (std::is_same_v<T, bool>) {
            std::uint8_t byte = 0;
            load(byte);
            if (byte > 1) throw StateFormatError("a true/false byte of " + std::to_string(byte) + " before offset " +
                                                 std::to_string(at_));
            value = byte == 1;
        } else if constexpr (std::is_arithmetic_v<T>) {
            unsigned char bytes[sizeof(T)];
            read(bytes, sizeof(T), "a number");
            if (swap_bytes_)
                for (std::size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(bytes[i], bytes[sizeof(T) - 1 - i]);
            std::memcpy(&value, bytes, sizeof(T));
        } else {
            value.serialize(*this);
        }
    }
    void load(std::string &text);
    template <class T> void load(std::vector<T> &items) {
        const std::uint64_t count = length("a list");
        items.clear();
        for (std::uint64_t i = 0; i < count; ++i) load(items.emplace_back());
    }
    template <class T> void load(std::optional<T> &item) {
        bool empty = true; // cereal writes "nullopt" first
        load(empty);
        if (empty) item.reset();
        else load(item.emplace());
    }

    // A length field, refused when even one byte per element would run past the payload.
    std::uint64_t length(const char *what);
    void read(void *out, std::size_t size, const char *what);

    std::string_view payload_;
    std::size_t at_ = 0;
    std::uint32_t format_;
    bool swap_bytes_ = false;
};

} // namespace tune::core
