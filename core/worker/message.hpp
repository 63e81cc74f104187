// The host <-> worker protocol, the one definition both ends use: typed messages in
// length-prefixed frames over any byte stream, the JSON of each request and reply, and the
// file descriptors a tune-worker process talks on.
//
// A frame is a 4-byte little-endian payload length, a 1-byte message type, then the payload
// (UTF-8 JSON or nothing). The protocol knows nothing of pipes or processes, so another
// launcher (an MPI rank, a cluster job) can carry the same frames.
//
// A conversation: the worker sends Ready once; then the host sends requests and the worker
// answers each with one reply, in order: StartTrial -> Ok | Error, Step -> Result | Skipped | Error,
// Save -> Ok | Error, Evaluate -> Result | Error, EndTrial -> Ok | Error, UpdateContext -> Ok.
// Shutdown (or the host closing the pipe)
// ends the worker. The host may send the next request before the reply to the last one, and
// may queue several Steps ahead (fast trials); a Step queued behind a result that said "done"
// is answered Skipped, not run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tune::core {

// A tune-worker reads requests on this fd and writes replies on the other; its stdout and
// stderr belong to the trainable.
inline constexpr int kWorkerRequestFd = 3;
inline constexpr int kWorkerReplyFd = 4;

enum class MessageType : std::uint8_t {
    // host -> worker
    StartTrial = 1, // StartTrialRequest
    Step = 2,       // (empty)
    Save = 3,       // {"dir": checkpoint folder}
    Evaluate = 4,   // {"dir": checkpoint folder}
    Shutdown = 5,   // (empty)
    EndTrial = 6,   // (empty) the trial ended: the trainable's end_trial, answered Ok
    UpdateContext = 7, // {"num_cpus": n} the running trial's thread count from its next step on
    // worker -> host
    Ready = 64,  // {"pid": n} once, at start
    Ok = 65,     // StartTrial or Save succeeded (empty)
    Result = 66, // a step's or an evaluation's result: the trainable's JSON object, as it wrote it
    Error = 67,  // ErrorReply
    Skipped = 68, // a Step not run because the trial's last result said "done" (empty)
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

// Writes bytes (frames encode_frame made) to fd completely, retrying short writes and EINTR.
// Returns false if the other end is gone (EPIPE; callers ignore SIGPIPE) or on another error.
bool write_all(int fd, std::string_view bytes);

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

// StartTrial: {"library", "plugin_id", "config", "context": {"trial_id", "trial_dir",
// "num_cpus", "num_gpus", "seed"}, "restore_from": dir | null}.
struct StartTrialRequest {
    std::string library;   // the trainable's plugin library file
    std::string plugin_id;
    nlohmann::json config; // a JSON object
    std::string trial_id;
    std::string trial_dir;
    unsigned num_cpus = 1;
    double num_gpus = 0.0;
    std::uint64_t seed = 0;
    std::string restore_from; // a checkpoint folder, or "" to start afresh
};

Message encode_start_trial(const StartTrialRequest &request);
// Throws nlohmann::json::exception naming what is missing or mistyped, and
// std::invalid_argument for a value out of range (a config that is not an object, num_cpus
// outside 1..65536, a negative num_gpus): the worker answers either with an Error reply.
StartTrialRequest decode_start_trial(const std::string &payload);

// Save and Evaluate: {"dir": checkpoint folder}.
Message checkpoint_request(MessageType type, const std::string &dir);
std::string decode_checkpoint_dir(const std::string &payload); // throws nlohmann::json::exception

// UpdateContext: {"num_cpus": n}, n >= 1.
Message update_context_request(unsigned num_cpus);
unsigned decode_update_context(const std::string &payload); // throws as decode_start_trial

// Error: {"status": tune_status_t, "message": text}.
struct ErrorReply {
    int status = 0;
    std::string message;
};
Message encode_error(int status, const std::string &message);
// Never throws: a payload that is not the schema's becomes status TUNE_ERROR_INTERNAL with the
// payload as its message.
ErrorReply decode_error(const std::string &payload);

// Ready: {"pid": n}.
Message ready_message(long pid);

} // namespace tune::core
