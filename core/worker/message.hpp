// The host <-> worker protocol: typed messages in length-prefixed frames over any byte stream.
//
// A frame is a 4-byte little-endian payload length, a 1-byte message type, then the payload
// (UTF-8 JSON or nothing). The protocol knows nothing of pipes or processes, so another
// launcher (an MPI rank, a cluster job) can carry the same frames later.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tune::core {

enum class MessageType : std::uint8_t {
    // host -> worker
    StartTrial = 1, // {"library", "plugin_id", "config", "context": {...}, "restore_from": dir|null}
    Step = 2,       // (empty)
    Save = 3,       // {"dir": checkpoint folder}
    Evaluate = 4,   // {"dir": checkpoint folder}
    Shutdown = 5,   // (empty)
    // worker -> host
    Ready = 64,  // {"pid": n} once, at start
    Ok = 65,     // StartTrial or Save succeeded
    Result = 66, // a step's or an evaluation's result: a JSON object
    Error = 67,  // {"status": n, "message": text}
};

const char *message_type_name(MessageType type);

struct Message {
    MessageType type = MessageType::Ok;
    std::string payload;
};

// Largest payload accepted, so a corrupt length cannot make the reader allocate gigabytes.
inline constexpr std::uint32_t kMaxFramePayload = 256u << 20;

// Appends the frame of message to out.
void encode_frame(const Message &message, std::string &out);

// Writes the frame of message to fd completely (retrying short writes and EINTR). Returns
// false if the other end is gone (EPIPE; callers ignore SIGPIPE) or on another write error.
bool write_frame(int fd, const Message &message);

// Splits a byte stream into messages. Feed it bytes as they arrive; it keeps partial frames.
class FrameDecoder {
public:
    // Appends data and returns every message completed by it. Throws std::runtime_error on a
    // corrupt frame (oversized length or unknown type); the stream is then unusable.
    std::vector<Message> feed(std::string_view data);
    // Takes one complete message if buffered, without new data.
    std::optional<Message> next();
    bool has_partial_frame() const { return buffer_.size() > offset_; }

private:
    std::string buffer_;
    std::size_t offset_ = 0;
};

} // namespace tune::core
