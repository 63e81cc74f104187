#include "core/worker/message.hpp"

#include <cmath>
#include <stdexcept>

#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "tune/types.h"

namespace tune::core {

const char *message_type_name(MessageType type) {
    switch (type) {
    case MessageType::StartTrial: return "StartTrial";
    case MessageType::Step: return "Step";
    case MessageType::Save: return "Save";
    case MessageType::Evaluate: return "Evaluate";
    case MessageType::Shutdown: return "Shutdown";
    case MessageType::EndTrial: return "EndTrial";
    case MessageType::UpdateContext: return "UpdateContext";
    case MessageType::Ready: return "Ready";
    case MessageType::Ok: return "Ok";
    case MessageType::Result: return "Result";
    case MessageType::Error: return "Error";
    case MessageType::Skipped: return "Skipped";
    }
    return "unknown";
}

namespace {

bool known_type(std::uint8_t type) {
    return (type >= 1 && type <= 7) || (type >= 64 && type <= 68);
}

} // namespace

void encode_frame(const Message &message, std::string &out) {
    if (message.payload.size() > kMaxFramePayload) throw std::length_error("message payload too large");
    const auto size = static_cast<std::uint32_t>(message.payload.size());
    const char header[5] = {static_cast<char>(size & 0xff), static_cast<char>((size >> 8) & 0xff),
                            static_cast<char>((size >> 16) & 0xff), static_cast<char>((size >> 24) & 0xff),
                            static_cast<char>(message.type)};
    out.append(header, sizeof header);
    out.append(message.payload);
}

bool write_all(int fd, std::string_view bytes) {
    std::size_t written = 0;
    while (written < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        written += static_cast<std::size_t>(n);
    }
    return true;
}

bool write_frame(int fd, const Message &message) {
    std::string frame;
    encode_frame(message, frame);
    return write_all(fd, frame);
}

std::optional<Message> FrameDecoder::next() {
    const std::size_t available = buffer_.size() - offset_;
    if (available < 5) return std::nullopt;
    const auto *bytes = reinterpret_cast<const unsigned char *>(buffer_.data() + offset_);
    const std::uint32_t size = bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (static_cast<std::uint32_t>(bytes[3]) << 24);
    if (size > kMaxFramePayload)
        throw std::runtime_error("corrupt frame: payload length " + std::to_string(size) + " is over the protocol's " +
                                 std::to_string(kMaxFramePayload) + "-byte limit");
    if (!known_type(bytes[4])) throw std::runtime_error("corrupt frame: unknown message type " + std::to_string(bytes[4]));
    if (available < 5 + static_cast<std::size_t>(size)) return std::nullopt;
    Message message{static_cast<MessageType>(bytes[4]), buffer_.substr(offset_ + 5, size)};
    offset_ += 5 + size;
    if (offset_ == buffer_.size()) {
        buffer_.clear();
        offset_ = 0;
    }
    return message;
}

std::vector<Message> FrameDecoder::feed(std::string_view data) {
    if (offset_ > 0 && offset_ > buffer_.size() / 2) { // compact: keep the buffer from growing
        buffer_.erase(0, offset_);
        offset_ = 0;
    }
    buffer_.append(data);
    std::vector<Message> messages;
    while (auto message = next()) messages.push_back(std::move(*message));
    return messages;
}

Message encode_start_trial(const StartTrialRequest &request) {
    nlohmann::json context{{"trial_id", request.trial_id},
                           {"trial_dir", request.trial_dir},
                           {"num_cpus", request.num_cpus},
                           {"num_gpus", request.num_gpus},
                           {"seed", request.seed}};
    nlohmann::json payload{{"library", request.library},
                           {"plugin_id", request.plugin_id},
                           {"config", request.config},
                           {"context", std::move(context)},
                           {"restore_from", request.restore_from.empty() ? nlohmann::json() : nlohmann::json(request.restore_from)}};
    return {MessageType::StartTrial, payload.dump()};
}

namespace {

// A count from a request: a whole number in [1, 65536]. nlohmann's get<unsigned>() would wrap
// -1 or 1e10 into a thread count silently.
unsigned positive_count(const nlohmann::json &object, const char *key, const char *request) {
    const nlohmann::json &value = object.at(key);
    if (!value.is_number_integer() || value.get<long long>() < 1 || value.get<long long>() > 65536)
        throw std::invalid_argument(std::string(request) + ": " + key + " must be a whole number from 1 to 65536, got " +
                                    value.dump());
    return value.get<unsigned>();
}

} // namespace

StartTrialRequest decode_start_trial(const std::string &payload) {
    const auto json = nlohmann::json::parse(payload);
    StartTrialRequest request;
    request.library = json.at("library").get<std::string>();
    request.plugin_id = json.at("plugin_id").get<std::string>();
    request.config = json.at("config");
    if (!request.config.is_object()) throw std::invalid_argument("StartTrial: config must be a JSON object");
    const auto &context = json.at("context");
    request.trial_id = context.at("trial_id").get<std::string>();
    request.trial_dir = context.at("trial_dir").get<std::string>();
    request.num_cpus = positive_count(context, "num_cpus", "StartTrial");
    request.num_gpus = context.at("num_gpus").get<double>();
    if (!std::isfinite(request.num_gpus) || request.num_gpus < 0)
        throw std::invalid_argument("StartTrial: num_gpus must be a number >= 0");
    request.seed = context.at("seed").get<std::uint64_t>();
    const auto &restore_from = json.at("restore_from");
    if (!restore_from.is_null()) request.restore_from = restore_from.get<std::string>();
    return request;
}

Message checkpoint_request(MessageType type, const std::string &dir) {
    return {type, nlohmann::json{{"dir", dir}}.dump()};
}

std::string decode_checkpoint_dir(const std::string &payload) {
    return nlohmann::json::parse(payload).at("dir").get<std::string>();
}

Message update_context_request(unsigned num_cpus) {
    return {MessageType::UpdateContext, nlohmann::json{{"num_cpus", num_cpus}}.dump()};
}

unsigned decode_update_context(const std::string &payload) {
    return positive_count(nlohmann::json::parse(payload), "num_cpus", "UpdateContext");
}

Message encode_error(int status, const std::string &message) {
    return {MessageType::Error, nlohmann::json{{"status", status}, {"message", message}}.dump()};
}

ErrorReply decode_error(const std::string &payload) {
    const auto json = nlohmann::json::parse(payload, nullptr, false);
    if (!json.is_object() || !json.contains("message") || !json["message"].is_string())
        return {TUNE_ERROR_INTERNAL, payload};
    const auto status = json.find("status");
    return {status != json.end() && status->is_number_integer() ? status->get<int>() : TUNE_ERROR_INTERNAL,
            json["message"].get<std::string>()};
}

Message ready_message(long pid) { return {MessageType::Ready, nlohmann::json{{"pid", pid}}.dump()}; }

} // namespace tune::core
