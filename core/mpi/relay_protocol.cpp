#include "core/mpi/relay_protocol.hpp"

#include <charconv>
#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace tune::core::mpi {

using nlohmann::json;

namespace {

void append_u32(std::string &out, std::uint32_t value) {
    char bytes[4];
    for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>((value >> (8 * i)) & 0xff);
    out.append(bytes, 4);
}

void append_string(std::string &out, const std::string &text) {
    append_u32(out, static_cast<std::uint32_t>(text.size()));
    out += text;
}

// Reads the records of one message, refusing any that runs past its end.
class RecordReader {
public:
    RecordReader(const std::string &bytes, const char *what) : bytes_(bytes), what_(what) {}
    bool done() const { return offset_ == bytes_.size(); }
    std::uint8_t byte() {
        need(1);
        return static_cast<std::uint8_t>(bytes_[offset_++]);
    }
    std::uint32_t u32() {
        need(4);
        std::uint32_t value = 0;
        for (int i = 0; i < 4; ++i) value |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes_[offset_ + i])) << (8 * i);
        offset_ += 4;
        return value;
    }
    std::string string() {
        const std::uint32_t size = u32();
        need(size);
        std::string text = bytes_.substr(offset_, size);
        offset_ += size;
        return text;
    }

private:
    void need(std::size_t size) const {
        if (bytes_.size() - offset_ < size)
            throw std::runtime_error(fmt::format("corrupt {} message: a record runs past its end ({} bytes, at {})",
                                                 what_, bytes_.size(), offset_));
    }
    const std::string &bytes_;
    const char *what_;
    std::size_t offset_ = 0;
};

json parse(const std::string &bytes, const char *what) {
    json value = json::parse(bytes, nullptr, false);
    if (!value.is_object()) throw std::runtime_error(fmt::format("corrupt {} message: not a JSON object", what));
    return value;
}

// value.at(key) as T, or an error naming the message and the key.
template <class T> T field(const json &value, const char *key, const char *what) {
    try {
        return value.at(key).get<T>();
    } catch (const json::exception &) {
        throw std::runtime_error(fmt::format("corrupt {} message: '{}' is missing or of the wrong type", what, key));
    }
}

} // namespace

const char *relay_tag_name(RelayTag tag) {
    switch (tag) {
    case RelayTag::Hello: return "Hello";
    case RelayTag::Probe: return "Probe";
    case RelayTag::ProbeReply: return "ProbeReply";
    case RelayTag::Setup: return "Setup";
    case RelayTag::Requests: return "Requests";
    case RelayTag::Events: return "Events";
    case RelayTag::Abort: return "Abort";
    case RelayTag::Shutdown: return "Shutdown";
    case RelayTag::Quit: return "Quit";
    case RelayTag::AgentError: return "AgentError";
    }
    return "unknown";
}

bool is_relay_tag(int tag) {
    return tag >= static_cast<int>(RelayTag::Hello) && tag <= static_cast<int>(RelayTag::AgentError);
}

std::string encode_node_report(const NodeReport &r) {
    return json{{"rank", r.rank},           {"host", r.host}, {"node_key", r.node_key}, {"local_rank", r.local_rank},
                {"local_size", r.local_size}, {"cpus", r.cpus}, {"gpu_names", r.gpu_names},
                {"visible_devices", r.visible_devices}}
        .dump();
}

NodeReport decode_node_report(const std::string &bytes) {
    const json value = parse(bytes, "Hello");
    return {field<int>(value, "rank", "Hello"),       field<std::string>(value, "host", "Hello"),
            field<std::string>(value, "node_key", "Hello"), field<int>(value, "local_rank", "Hello"),
            field<int>(value, "local_size", "Hello"), field<double>(value, "cpus", "Hello"),
            field<std::vector<std::string>>(value, "gpu_names", "Hello"),
            field<std::vector<std::string>>(value, "visible_devices", "Hello")};
}

std::string encode_probe(const ProbeRequest &probe) { return json{{"path", probe.path}, {"token", probe.token}}.dump(); }

ProbeRequest decode_probe(const std::string &bytes) {
    const json value = parse(bytes, "Probe");
    return {field<std::string>(value, "path", "Probe"), field<std::string>(value, "token", "Probe")};
}

std::string encode_probe_result(const ProbeResult &result) {
    return json{{"ok", result.ok}, {"message", result.message}}.dump();
}

ProbeResult decode_probe_result(const std::string &bytes) {
    const json value = parse(bytes, "ProbeReply");
    return {field<bool>(value, "ok", "ProbeReply"), field<std::string>(value, "message", "ProbeReply")};
}

std::string encode_worker_setup(const WorkerSetup &setup) {
    return json{{"worker_executable", setup.worker_executable.string()},
                {"log_dir", setup.log_dir.string()},
                {"trainable_library", setup.trainable_library.string()},
                {"trainable_id", setup.trainable_id},
                {"step_timeout_s", setup.step_timeout_s},
                {"log_name_prefix", setup.log_name_prefix}}
        .dump();
}

WorkerSetup decode_worker_setup(const std::string &bytes) {
    const json value = parse(bytes, "Setup");
    WorkerSetup setup;
    setup.worker_executable = field<std::string>(value, "worker_executable", "Setup");
    setup.log_dir = field<std::string>(value, "log_dir", "Setup");
    setup.trainable_library = field<std::string>(value, "trainable_library", "Setup");
    setup.trainable_id = field<std::string>(value, "trainable_id", "Setup");
    setup.step_timeout_s = field<double>(value, "step_timeout_s", "Setup");
    setup.log_name_prefix = field<std::string>(value, "log_name_prefix", "Setup");
    return setup;
}

std::string encode_launch(const TrialLaunch &launch) {
    const Allocation &a = launch.allocation;
    return json{{"trial_id", launch.trial_id},
                {"allocation",
                 {{"node", a.node},
                  {"node_name", a.node_name},
                  {"rank", a.rank},
                  {"cpu", a.cpu},
                  {"gpu", a.gpu},
                  {"devices", a.devices},
                  {"gpu_shares", a.gpu_shares},
                  {"cuda_visible_devices", a.cuda_visible_devices}}},
                {"trial_dir", launch.trial_dir},
                {"config", launch.config},
                {"seed", launch.seed},
                {"restore_from", launch.restore_from}}
        .dump();
}

TrialLaunch decode_launch(const std::string &bytes) {
    const char *what = "Start";
    const json value = parse(bytes, what);
    const json allocation = field<json>(value, "allocation", what);
    TrialLaunch launch;
    launch.trial_id = field<std::string>(value, "trial_id", what);
    launch.allocation.node = field<std::size_t>(allocation, "node", what);
    launch.allocation.node_name = field<std::string>(allocation, "node_name", what);
    launch.allocation.rank = field<int>(allocation, "rank", what);
    launch.allocation.cpu = field<double>(allocation, "cpu", what);
    launch.allocation.gpu = field<double>(allocation, "gpu", what);
    launch.allocation.devices = field<std::vector<int>>(allocation, "devices", what);
    launch.allocation.gpu_shares = field<std::vector<double>>(allocation, "gpu_shares", what);
    launch.allocation.cuda_visible_devices = field<std::string>(allocation, "cuda_visible_devices", what);
    launch.trial_dir = field<std::string>(value, "trial_dir", what);
    launch.config = field<json>(value, "config", what);
    launch.seed = field<std::uint64_t>(value, "seed", what);
    launch.restore_from = field<std::string>(value, "restore_from", what);
    return launch;
}

std::string encode_agent_error(const std::string &message) { return json{{"message", message}}.dump(); }

std::string decode_agent_error(const std::string &bytes) {
    const json value = json::parse(bytes, nullptr, false);
    if (value.is_object() && value.contains("message") && value["message"].is_string()) return value["message"];
    return bytes;
}

void append_call(std::string &out, const ExecutorCall &call) {
    out += static_cast<char>(call.op);
    append_string(out, call.trial_id);
    append_string(out, call.argument);
}

unsigned thread_count(const std::string &argument) {
    unsigned threads = 0;
    const auto parsed = std::from_chars(argument.data(), argument.data() + argument.size(), threads);
    if (parsed.ec != std::errc() || parsed.ptr != argument.data() + argument.size() || threads == 0)
        throw std::runtime_error("SetThreads call with thread count '" + argument + "'");
    return threads;
}

std::vector<ExecutorCall> decode_calls(const std::string &bytes) {
    RecordReader in(bytes, "Requests");
    std::vector<ExecutorCall> calls;
    while (!in.done()) {
        const std::uint8_t op = in.byte();
        if (op < static_cast<std::uint8_t>(ExecutorCall::Op::Start) || op > static_cast<std::uint8_t>(ExecutorCall::Op::SetThreads))
            throw std::runtime_error(fmt::format("corrupt Requests message: unknown call {}", op));
        ExecutorCall call;
        call.op = static_cast<ExecutorCall::Op>(op);
        call.trial_id = in.string();
        call.argument = in.string();
        calls.push_back(std::move(call));
    }
    return calls;
}

void append_event(std::string &out, const TrialEvent &event) {
    out += static_cast<char>(event.kind);
    out += static_cast<char>(event.request);
    append_u32(out, static_cast<std::uint32_t>(event.status));
    append_string(out, event.trial_id);
    append_string(out, event.text);
}

std::vector<TrialEvent> decode_events(const std::string &bytes) {
    RecordReader in(bytes, "Events");
    std::vector<TrialEvent> events;
    while (!in.done()) {
        const std::uint8_t kind = in.byte(), request = in.byte();
        if (kind > static_cast<std::uint8_t>(TrialEvent::Kind::Lost) || request > static_cast<std::uint8_t>(TrialRequest::Evaluate))
            throw std::runtime_error(fmt::format("corrupt Events message: unknown event {} or request {}", kind, request));
        TrialEvent event;
        event.kind = static_cast<TrialEvent::Kind>(kind);
        event.request = static_cast<TrialRequest>(request);
        event.status = static_cast<int>(in.u32());
        event.trial_id = in.string();
        event.text = in.string();
        events.push_back(std::move(event));
    }
    return events;
}

} // namespace tune::core::mpi
